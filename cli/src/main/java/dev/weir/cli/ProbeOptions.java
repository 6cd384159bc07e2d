package dev.weir.cli;

import dev.weir.compiler.cluster.Protocol;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What reachability and trace send: the destination port and protocol, and the engine that runs the programs. */
final class ProbeOptions {
    @Option(names = "--port", required = true, paramLabel = "N", converter = PortConverter.class,
            description = "Destination port, 1-65535.")
    int port;

    @Option(names = "--protocol", defaultValue = "TCP", paramLabel = "TCP|UDP|SCTP",
            description = "Transport protocol (default: ${DEFAULT-VALUE}).")
    Protocol protocol;

    @Option(names = "--engine", defaultValue = "interpreter", paramLabel = "interpreter|kernel",
            description = "Run the programs in Weir's interpreter or in the kernel (BPF_PROG_TEST_RUN, needs bpf) (default: ${DEFAULT-VALUE}).")
    Engine engine;

    /** A port checked while parsing, so a bad one is a usage error like any other bad option. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a port number (1-65535)");
            }
            if (port < 1 || port > 65535) {
                throw new TypeConversionException("port " + port + " is out of range (1-65535)");
            }
            return port;
        }
    }
}
