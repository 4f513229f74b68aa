// Compiles RefToken.sol (OpenZeppelin ERC20 + ERC20Permit) with the pinned solc-js and prints
// {compiler, settings, abi, bytecode} as JSON on stdout. `vvv bench` runs it at every start, so
// the Solidity side is always built from source by the pinned compiler (nothing hand-copied).
// Settings: optimizer on, 200 runs (solc's and Foundry's default), EVM version cancun (the
// devnet's and anvil's rules).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = dirname(fileURLToPath(import.meta.url));

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};
const input = {
  language: 'Solidity',
  sources: { 'RefToken.sol': { content: readFileSync(join(here, 'RefToken.sol'), 'utf8') } },
  settings,
};
// Imports resolve to the pinned node_modules (e.g. "@openzeppelin/contracts/...").
function findImports(path) {
  try {
    return { contents: readFileSync(require.resolve(path), 'utf8') };
  } catch (e) {
    return { error: `cannot resolve ${path}: ${e.message}` };
  }
}
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const c = out.contracts['RefToken.sol'].RefToken;
const oz = require('@openzeppelin/contracts/package.json').version;
process.stdout.write(
  JSON.stringify({
    compiler: `solc ${solc.version()}`,
    openzeppelin: oz,
    settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
    abi: c.abi,
    bytecode: `0x${c.evm.bytecode.object}`,
  }) + '\n',
);
