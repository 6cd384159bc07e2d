package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** bin/weir: Weir's command line. Errors reach users as one line, never as a stack trace. */
@Command(name = "weir", mixinStandardHelpOptions = true, version = "weir 0.1.0",
        description = "Weir: Kubernetes network policy compiled to eBPF, in Java.",
        subcommands = {DemoCommand.class, CompileCommand.class, ReachabilityCommand.class, TraceCommand.class, ServicesCommand.class,
                OperatorCommand.class, AgentCommand.class, VmCommand.class, DisassembleCommand.class, BenchCommand.class})
public final class Weir implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Weir())
                .setCaseInsensitiveEnumValuesAllowed(true) // --protocol tcp, --engine KERNEL
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("weir: " + describe(e));
                    return 1;
                })
                // picocli's default prints the whole usage after the message; one line says enough
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("weir: " + firstLine(e.getMessage()) + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                });
    }

    /** One line for a user: file errors say what happened to which file; others give their message. */
    static String describe(Exception e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException f -> "no such file: " + f.getFile();
            case java.nio.file.AccessDeniedException f -> "permission denied: " + f.getFile();
            case java.io.IOException io -> "cannot read input: " + io.getMessage();
            default -> e.getMessage() != null ? firstLine(e.getMessage()) : e.toString();
        };
    }

    /** Some messages append detail on further lines (a verifier log's tail): the first line is the error. */
    static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }
}
