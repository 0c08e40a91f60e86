package io.redkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run once per jar by the {@code redkit} launcher under {@code -XX:ArchiveClassesAtExit}: the short runs
 * people start most often (version, dump, inspect in every report form, verify), on a tiny RDB in a
 * scratch directory, so that the class-data sharing archive holds what they load. Output is discarded.
 */
public final class CdsTraining {
    /** A small RDB: header, an AUX field, one string key in db 0, EOF and a zero (unchecked) checksum. */
    private static final byte[] SMALL_RDB = {
        'R', 'E', 'D', 'I', 'S', '0', '0', '1', '1',
        (byte) 0xFA, 9, 'r', 'e', 'd', 'i', 's', '-', 'v', 'e', 'r', 5, '7', '.', '0', '.', '0', // AUX redis-ver 7.0.0
        (byte) 0xFE, 0,                                                                     // SELECTDB 0
        (byte) 0xFB, 1, 0,                                                                  // RESIZEDB 1 0
        0, 3, 'a', ':', 'b', 1, 'v',                                                        // string "a:b" = "v"
        (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0                                                 // EOF, no checksum
    };

    private CdsTraining() {
    }

    /** Runs the commands; exits non-zero when one fails, so that no archive is kept from a broken run. */
    public static void main(String[] args) throws IOException {
        System.exit(run() == 0 ? 0 : 1);
    }

    /** Runs the training commands; the number that failed. */
    static int run() throws IOException {
        Path dir = Files.createTempDirectory("redkit-cds");
        int failed = 0;
        try {
            String rdb = Files.write(dir.resolve("small.rdb"), SMALL_RDB).toString();
            String html = dir.resolve("report.html").toString();
            PrintStream none = new PrintStream(OutputStream.nullOutputStream());
            CliContext ctx = new CliContext(none, none, false, false);
            // what every run loads first
            Main.isTerminal(1);
            new VersionProvider().getVersion();
            List<String[]> runs = List.of(
                    new String[] {"dump", rdb, "-f", "jsonl"},
                    new String[] {"dump", rdb, "-f", "count"},
                    new String[] {"dump", rdb, "-f", "resp"},
                    new String[] {"inspect", rdb},
                    new String[] {"inspect", rdb, "--format", "json"},
                    new String[] {"inspect", rdb, "--html", html},
                    new String[] {"verify", rdb});
            for (String[] run : runs) {
                if (Redkit.newCommandLine(ctx, Redkit.subcommandClass(run[0])).execute(run) != ExitCodes.OK) {
                    failed++;
                }
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return failed;
    }
}
