// SPDX-License-Identifier: MIT
// The Solidity reference `vvv bench` measures the Stylus VVV token against: OpenZeppelin's ERC20 +
// ERC20Permit (the versions pinned in package.json), minting the whole supply to the deployer.
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract RefToken is ERC20, ERC20Permit {
    constructor(uint256 supply) ERC20("Reference Token", "REF") ERC20Permit("Reference Token") {
        _mint(msg.sender, supply);
    }
}
