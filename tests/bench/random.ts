/** The reader's seeded generator (mulberry32), so a bench draws the same questions every run. */
export { seededRandom } from '../../src/reader/train.ts';
