// Records commitlint's verdict (config-conventional) on every message of messages.json.
// The tests compare relnotes with these verdicts and with commitizen's (computed live).
// Re-run after adding messages, in a scratch folder outside the repository:
//   npm install @commitlint/lint @commitlint/load @commitlint/config-conventional
//   node commitlint_verdicts.mjs path/to/tests/corpus/messages.json
// (measured with @commitlint/config-conventional 20.5.3)
import lint from '@commitlint/lint';
import load from '@commitlint/load';
import fs from 'node:fs';

const path = process.argv[2];
const corpus = JSON.parse(fs.readFileSync(path, 'utf8'));
const config = await load({extends: ['@commitlint/config-conventional']});
const options = config.parserPreset ? {parserOpts: config.parserPreset.parserOpts} : {};
for (const entry of corpus) {
  const result = await lint(entry.message, config.rules, options);
  entry.commitlint = result.valid;
  entry.commitlint_errors = result.errors.map((e) => e.name);
}
fs.writeFileSync(path, JSON.stringify(corpus, null, 1) + '\n');
