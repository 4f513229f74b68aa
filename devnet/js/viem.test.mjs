// The devnet driven by viem, as a dapp would (issue 11). Needs a running devnet:
//   VVV_DEVNET_URL=http://127.0.0.1:8547 node --test viem.test.mjs
// and the token's deployable code in artifacts/vvv-token.code (`cargo run -p vvv-scripts -- build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  createPublicClient, createWalletClient, http, webSocket, parseAbi, parseEther, encodeAbiParameters,
  parseAbiParameters, toFunctionSelector, concatHex, toHex, numberToHex, parseEventLogs, BaseError,
  ContractFunctionRevertedError, zeroHash, getAddress,
} from 'viem';
import { privateKeyToAccount, nonceManager, generatePrivateKey } from 'viem/accounts';

const url = process.env.VVV_DEVNET_URL ?? 'http://127.0.0.1:8547';
const wsUrl = url.replace(/^http/, 'ws');
const chain = {
  id: 412346, name: 'vvv-devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [url], webSocket: [wsUrl] } },
};
const DEPLOYER = '0xcEcba2F1DC234f70Dd89F2041029807F8D03A990';
const dev = privateKeyToAccount('0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659', { nonceManager });
const other = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const bob = '0x00000000000000000000000000000000000b0b00';

const tokenAbi = parseAbi([
  'function transfer(address to, uint256 value) returns (bool)',
  'function balanceOf(address account) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
]);
const deployerAbi = parseAbi([
  'function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) payable returns (address)',
  'event ContractDeployed(address deployedContract)',
]);

const pub = createPublicClient({ chain, transport: http(url), pollingInterval: 100 });
const wallet = createWalletClient({ chain, transport: http(url), account: dev });

// init code that returns the Stylus code appended to it (what cargo stylus sends)
function initCode(runtime) {
  const len = (runtime.length - 2) / 2;
  return concatHex([`0x63${len.toString(16).padStart(8, '0')}80600e6000396000f3`, runtime]);
}

let token;
const supply = parseEther('100000000');

test('deploy through the StylusDeployer, read, write', async () => {
  const code = toHex(readFileSync(new URL('../../artifacts/vvv-token.code', import.meta.url)));
  const ctor = concatHex([
    toFunctionSelector('stylus_constructor()'),
    encodeAbiParameters(parseAbiParameters('address, address[], uint256[]'), [dev.address, [dev.address], [supply]]),
  ]);
  const before = await pub.getBalance({ address: dev.address });
  const hash = await wallet.writeContract({
    address: DEPLOYER, abi: deployerAbi, functionName: 'deploy',
    args: [initCode(code), ctor, 0n, zeroHash], value: parseEther('1'),
  });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, 'success');
  assert.equal(receipt.effectiveGasPrice, 100000000n, 'no tip is charged');
  [{ args: { deployedContract: token } }] = parseEventLogs({ abi: deployerAbi, logs: receipt.logs, eventName: 'ContractDeployed' });
  // the activation data fee was kept, the rest of the 1 ETH came back
  const spent = before - (await pub.getBalance({ address: dev.address })) - receipt.gasUsed * receipt.effectiveGasPrice;
  assert.ok(spent > 0n && spent < parseEther('0.1'), `data fee ${spent}`);
  assert.equal(await pub.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [dev.address] }), supply);
  const tx = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob, 5n] });
  const r = await pub.waitForTransactionReceipt({ hash: tx });
  const [ev] = parseEventLogs({ abi: tokenAbi, logs: r.logs, eventName: 'Transfer' });
  assert.equal(ev.args.value, 5n);
  assert.equal(await pub.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [bob] }), 5n);
});

test('20 parallel sends (viem nonce manager) are all mined', async () => {
  const hashes = await Promise.all(Array.from({ length: 20 }, () =>
    wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob, 1n], gas: 300000n })));
  const receipts = await Promise.all(hashes.map((hash) => pub.waitForTransactionReceipt({ hash })));
  assert.ok(receipts.every((r) => r.status === 'success'));
  assert.equal(await pub.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [bob] }), 25n);
});

test('events by filter (eth_newFilter) and by WebSocket (eth_subscribe)', async () => {
  const filter = await pub.createContractEventFilter({ address: token, abi: tokenAbi, eventName: 'Transfer' });
  const ws = createPublicClient({ chain, transport: webSocket(wsUrl) });
  const pushed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no WebSocket event')), 20000);
    const unwatch = ws.watchContractEvent({
      address: token, abi: tokenAbi, eventName: 'Transfer',
      onLogs: (logs) => { clearTimeout(timer); unwatch(); resolve(logs); },
      onError: reject,
    });
  });
  const polled = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no polled event')), 20000);
    const unwatch = pub.watchContractEvent({
      address: token, abi: tokenAbi, eventName: 'Transfer', poll: true, pollingInterval: 100,
      onLogs: (logs) => { clearTimeout(timer); unwatch(); resolve(logs); },
      onError: reject,
    });
  });
  await new Promise((r) => setTimeout(r, 500)); // let the subscription and the poller start
  const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob, 7n] });
  await pub.waitForTransactionReceipt({ hash });
  for (const logs of [await pushed, await polled]) {
    assert.equal(logs[0].transactionHash, hash);
    assert.equal(logs[0].args.value, 7n);
  }
  const changes = await pub.getFilterChanges({ filter });
  assert.equal(changes.length, 1);
  assert.equal(changes[0].args.to, getAddress(bob));
  await pub.uninstallFilter({ filter });
  await ws.transport.getRpcClient().then((c) => c.close());
});

test('blocks start with ArbOS startBlock; eth_getProof reads the token', async () => {
  const block = await pub.getBlock({ includeTransactions: true });
  const [start] = block.transactions;
  assert.equal(start.typeHex, '0x6a');
  assert.equal(start.from.toLowerCase(), '0x00000000000000000000000000000000000a4b05');
  assert.equal(start.input.slice(0, 10), '0x6bf6a42d', 'startBlock(l1BaseFee, l1BlockNumber, l2BlockNumber, timePassed)');
  const slots = Array.from({ length: 8 }, (_, i) => numberToHex(i, { size: 32 }));
  const proof = await pub.getProof({ address: token, storageKeys: slots, blockNumber: block.number });
  assert.equal(proof.nonce, 1);
  assert.ok(proof.accountProof.length > 0);
  assert.notEqual(proof.storageHash, '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421', 'the token has storage');
  for (const [i, slot] of slots.entries()) {
    const stored = await pub.getStorageAt({ address: token, slot, blockNumber: block.number });
    assert.equal(proof.storageProof[i].value, BigInt(stored), `slot ${i}`);
  }
});

test('a custom error is decoded by name', async () => {
  const err = await pub.simulateContract({
    account: other, address: token, abi: tokenAbi, functionName: 'transfer', args: [bob, 1n],
  }).catch((e) => e);
  assert.ok(err instanceof BaseError, String(err));
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  assert.equal(reverted?.data?.errorName, 'ERC20InsufficientBalance');
  assert.deepEqual(reverted.data.args, [other.address, 0n, 1n]);
});

test('simulateContract with value above the balance is rejected', async () => {
  const poor = privateKeyToAccount(generatePrivateKey());
  const err = await pub.simulateContract({
    account: poor, address: DEPLOYER, abi: deployerAbi, functionName: 'deploy',
    args: ['0x00', '0x', 0n, zeroHash], value: parseEther('1'),
  }).catch((e) => e);
  assert.ok(err instanceof BaseError, 'simulation should fail');
  assert.match(err.message, /insufficient funds/i);
});
