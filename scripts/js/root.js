// Prints the root of OpenZeppelin's StandardMerkleTree over the CSV given as argv[2]
// (`account,amount` rows, leaf (index, account, amount)) and the proof of row argv[3].
const fs = require("fs");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n")
  .filter((l) => l && !l.startsWith("account"));
const values = rows.map((l, i) => { const [a, n] = l.split(","); return [String(i), a, n]; });
const tree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
const i = Number(process.argv[3] || 0);
console.log(JSON.stringify({ root: tree.root, proof: tree.getProof(i), dump: tree.dump() }));
