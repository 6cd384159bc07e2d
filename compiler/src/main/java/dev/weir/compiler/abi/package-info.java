/**
 * The contract between the compiler, the agent and the kernel, in one place both sides use: Weir's maps
 * (names, the order programs index them in, layouts, key and value encodings, the list the operator
 * publishes; {@link dev.weir.compiler.abi.WeirMaps}), connection-tracking entries
 * ({@link dev.weir.compiler.abi.Conntrack}), the {@code __sk_buff} offsets and tc verdicts the programs use
 * ({@link dev.weir.compiler.abi.Skb}), and the verdict reasons they leave in skb->cb
 * ({@link dev.weir.compiler.abi.Reason}). Program generation itself lives in {@code codegen}, for the
 * agent's pending programs too.
 */
package dev.weir.compiler.abi;
