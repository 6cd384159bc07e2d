package dev.weir.datapath.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's num_possible_cpus(): how many values a per-CPU map holds per key. Read from
 * /sys/devices/system/cpu/possible, a list of ranges such as "0-3" or "0,2-5".
 */
public final class PossibleCpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private PossibleCpus() {}

    public static int count() {
        return Holder.COUNT;
    }

    static int parse(String ranges) {
        int count = 0;
        for (String range : ranges.strip().split(",")) {
            int dash = range.indexOf('-');
            if (dash < 0) {
                Integer.parseInt(range);
                count++;
            } else {
                count += Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            }
        }
        return count;
    }

    private static final class Holder {
        static final int COUNT = read();

        private static int read() {
            try {
                return parse(Files.readString(POSSIBLE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + POSSIBLE, e);
            }
        }
    }
}
