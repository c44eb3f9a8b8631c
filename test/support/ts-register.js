// Runs the project's TypeScript in a child process without a build: each .ts file is transpiled on require, as
// ts-jest does for the tests themselves (isolatedModules, so a file transpiles alone). Used to run the real worker
// as its own process, which a test can kill.
const { readFileSync } = require('node:fs');
const ts = require('typescript');
const { config } = ts.readConfigFile(require.resolve('../../tsconfig.json'), ts.sys.readFile);

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: { ...ts.convertCompilerOptionsFromJson(config.compilerOptions, '.').options, sourceMap: false, inlineSourceMap: true } });
  module._compile(outputText, filename);
};
