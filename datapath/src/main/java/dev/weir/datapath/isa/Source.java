package dev.weir.datapath.isa;

/** The second operand of an ALU, jump or store instruction: a register or a 32-bit immediate. */
public sealed interface Source permits Register, Imm {}
