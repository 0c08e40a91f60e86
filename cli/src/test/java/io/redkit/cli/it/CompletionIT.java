package io.redkit.cli.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code redkit completion bash} loads in a real bash and completes: the script is sourced in a {@code bash -c}
 * subprocess, its completion function (the one {@code complete -p redkit} names) is called with COMP_WORDS and
 * COMP_CWORD set as bash sets them on TAB, and COMPREPLY is printed.
 */
class CompletionIT {
    @TempDir
    Path dir;

    private Path script;

    @BeforeEach
    void generate() throws IOException {
        ItEnv.require(ItEnv.which("bash") != null, "bash not on PATH");
        RedkitCli.Result r = RedkitCli.inProcess().run("completion", "bash").check();
        script = dir.resolve("redkit-completion.bash");
        Files.write(script, r.stdout());
    }

    @Test
    void subcommandsAreCompleted() throws Exception {
        List<String> offered = complete("redkit", "d");
        assertTrue(offered.contains("dump") && offered.contains("diff"), "offered: " + offered);
        assertTrue(offered.stream().allMatch(w -> w.startsWith("d")), "offered: " + offered);
        List<String> all = complete("redkit", "");
        assertTrue(all.containsAll(List.of("dump", "inspect", "verify", "diff", "tail", "migrate", "kv", "shell",
                "completion")), "offered: " + all);
    }

    @Test
    void optionsAndTheirValuesAreCompleted() throws Exception {
        List<String> offered = complete("redkit", "dump", "--f");
        assertTrue(offered.contains("--format"), "offered: " + offered);
        List<String> shellOptions = complete("redkit", "shell", "--no-");
        assertTrue(shellOptions.containsAll(List.of("--no-history", "--no-color")), "offered: " + shellOptions);
        List<String> shells = complete("redkit", "completion", "");
        assertTrue(shells.containsAll(List.of("bash", "zsh")), "offered: " + shells);
    }

    @Test
    void zshGetsTheSameScriptWithACompdefLine() throws IOException {
        String zsh = RedkitCli.inProcess().run("completion", "zsh").check().out();
        assertTrue(zsh.startsWith("#compdef redkit\n"), zsh.substring(0, Math.min(200, zsh.length())));
        assertEquals(new String(Files.readAllBytes(script), StandardCharsets.UTF_8), zsh.substring(zsh.indexOf('\n') + 1));
        assertEquals(2, RedkitCli.inProcess().run("completion", "fish").exitCode());
    }

    /** What the completion offers when TAB is pressed after {@code words} (the last one being typed). */
    private List<String> complete(String... words) throws IOException, InterruptedException {
        StringBuilder w = new StringBuilder();
        for (String s : words) {
            w.append('\'').append(s.replace("'", "'\\''")).append("' ");
        }
        String prog = "source \"$1\" || exit 9\n"
                + "fn=$(complete -p redkit | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n"
                + "[ -n \"$fn\" ] || exit 8\n"
                + "COMP_WORDS=(" + w + ")\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "\"$fn\" redkit \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", prog, "complete-test", script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("bash did not finish");
        }
        assertEquals(0, p.exitValue(), "bash exit status (9: the script did not load, 8: no completion function)");
        String text = new String(out, StandardCharsets.UTF_8);
        return Arrays.stream(text.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
