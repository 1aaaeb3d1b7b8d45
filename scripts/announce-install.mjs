/**
 * npm's `preinstall`: says what the install is about to do, since the longest part of it prints
 * nothing for a minute or two.
 */
import process from 'node:process';
process.stderr.write(
  'Installing: better-sqlite3 is compiled from source first (a minute or two with no output: make, a C++ compiler\n' +
    'and Python 3 must be there), then the TypeScript sources are built and the reader is trained (about 40 seconds).\n',
);
