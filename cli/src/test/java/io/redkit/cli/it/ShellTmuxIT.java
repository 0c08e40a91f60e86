package io.redkit.cli.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Types into {@code redkit shell} in a real terminal (a detached tmux session, 200x50) over the r70-small
 * fixture and reads the screen back with {@code tmux capture-pane}: completion of a key prefix, {@code get} of
 * a hash, {@code ttl}, {@code quit}. Every step waits for the text it expects (polling, bounded), never for a
 * fixed time. Needs tmux: skipped locally without it, a failure under CI=true.
 */
class ShellTmuxIT {
    /** How long one expected screen may take to appear (a JVM starts, an index is built). */
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path home;

    private String socket;
    private Path fixture;

    @BeforeEach
    void setUp() {
        ItEnv.require(ItEnv.which("tmux") != null, "tmux not on PATH (Debian: apt-get install tmux)");
        fixture = ItEnv.fixtures().resolve("rdb/r70-small.rdb");
        // a private tmux server: nothing shared with a user's sessions, and kill-server ends everything we started
        socket = "redkit-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (socket != null) {
            tmux(false, "kill-server");
        }
    }

    @Test
    void completionGetTtlAndQuitOnARealTerminal() throws Exception {
        start("NO_COLOR=", "shell", fixture.toString());
        String prompt = "r70-small.rdb> ";
        // capture-pane drops trailing blanks: the prompt's own space is not on the captured line
        await(s -> s.contains(prompt.trim()), "the prompt");

        // one key starts with "ze": TAB completes it in the line
        tmux(true, "send-keys", "-t", "redkit", "-l", "get ze");
        tmux(true, "send-keys", "-t", "redkit", "Tab");
        await(s -> s.contains(prompt + "get zeta"), "'get ze' completed to 'get zeta'");
        tmux(true, "send-keys", "-t", "redkit", "Enter");
        String screen = await(s -> s.contains("f2     v2"), "the fields of hash zeta");
        assertTrue(screen.contains("field  value\nf1     v1\nf2     v2\n"), screen);

        // two keys start with "e": TAB lists both; typing on and TAB again completes one
        tmux(true, "send-keys", "-t", "redkit", "-l", "type e");
        tmux(true, "send-keys", "-t", "redkit", "Tab");
        await(s -> s.contains("epsilon") && s.contains("eta"), "the candidates epsilon and eta");
        tmux(true, "send-keys", "-t", "redkit", "-l", "p");
        tmux(true, "send-keys", "-t", "redkit", "Tab");
        await(s -> s.contains(prompt + "type epsilon"), "'type ep' completed to 'type epsilon'");
        tmux(true, "send-keys", "-t", "redkit", "Enter");
        await(s -> s.contains("\nzset\n"), "the type of epsilon");

        // theta expires at 2100-01-01T00:00:00Z
        tmux(true, "send-keys", "-t", "redkit", "-l", "ttl theta");
        tmux(true, "send-keys", "-t", "redkit", "Enter");
        screen = await(s -> Pattern.compile("(?m)^[0-9]+ \\(expires at 2100-01-01T00:00:00Z\\)$").matcher(s).find(),
                "the TTL of theta");
        assertFalse(screen.contains("\u001b"), "plain text capture");

        // the table heading is bold on a terminal (colours on: NO_COLOR is empty)
        String styled = capture(true);
        assertTrue(styled.contains("\u001b[1mfield"), "bold table heading expected:\n" + styled);

        tmux(true, "send-keys", "-t", "redkit", "-l", "quit");
        tmux(true, "send-keys", "-t", "redkit", "Enter");
        await(s -> s.contains("redkit exited with 0"), "the shell to end with status 0");

        String history = Files.readString(home.resolve(".redkit_history"), StandardCharsets.UTF_8);
        assertTrue(history.contains("get zeta") && history.contains("ttl theta"), "history file:\n" + history);
    }

    @Test
    void noColorAndCtrlD() throws Exception {
        start("NO_COLOR=1", "shell", "--no-history", fixture.toString());
        String prompt = "r70-small.rdb> ";
        // capture-pane drops trailing blanks: the prompt's own space is not on the captured line
        await(s -> s.contains(prompt.trim()), "the prompt");
        tmux(true, "send-keys", "-t", "redkit", "-l", "get zeta");
        tmux(true, "send-keys", "-t", "redkit", "Enter");
        await(s -> s.contains("f2     v2"), "the fields of hash zeta");
        String styled = capture(true);
        assertFalse(styled.contains("\u001b[1mfield"), "NO_COLOR: no bold heading:\n" + styled);
        tmux(true, "send-keys", "-t", "redkit", "C-d");
        await(s -> s.contains("redkit exited with 0"), "Ctrl-D to end the shell with status 0");
        assertFalse(Files.exists(home.resolve(".redkit_history")), "--no-history writes no history file");
    }

    /** Starts the session running redkit with {@code args}; the pane stays open and reports the exit status. */
    private void start(String colorEnv, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(redkit());
        cmd.addAll(Arrays.asList(args));
        StringBuilder line = new StringBuilder();
        for (String c : cmd) {
            line.append(quote(c)).append(' ');
        }
        // the status line is what the test waits for at the end; the pane then idles until kill-server
        String script = line + "; echo \"redkit exited with $?\"; sleep 600";
        tmux(true, "-f", "/dev/null", "new-session", "-d", "-s", "redkit", "-x", "200", "-y", "50",
                "-e", "HOME=" + home, "-e", colorEnv, "-e", "TERM=xterm-256color", "sh", "-c", script);
    }

    /** The redkit command line: the fat jar when it is built (failsafe runs after package), else the test classpath. */
    private static List<String> redkit() {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = ItEnv.projectRoot().resolve("cli/target/redkit.jar");
        if (Files.isRegularFile(jar)) {
            return List.of(java, "-XX:+UseSerialGC", "-jar", jar.toString());
        }
        return List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.redkit.cli.Main");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Polls the screen until {@code ready} holds; fails with the last screen after {@link #WAIT_MS}. */
    private String await(Predicate<String> ready, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture(false);
            if (ready.test(screen)) {
                return screen;
            }
            Thread.sleep(50);
        }
        String panes = tmux(false, "list-panes", "-a", "-F", "#{pane_pid} dead=#{pane_dead} #{pane_current_command}");
        fail("waited " + WAIT_MS + " ms for " + what + "; panes: " + panes + "screen:\n" + screen);
        return screen;
    }

    private String capture(boolean escapes) throws IOException, InterruptedException {
        return escapes ? tmux(true, "capture-pane", "-p", "-e", "-t", "redkit")
                : tmux(true, "capture-pane", "-p", "-t", "redkit");
    }

    private String tmux(boolean check, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tmux " + String.join(" ", args) + " did not return");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (check) {
            assertEquals(0, p.exitValue(), "tmux " + String.join(" ", args) + ": " + text);
        }
        return text;
    }
}
