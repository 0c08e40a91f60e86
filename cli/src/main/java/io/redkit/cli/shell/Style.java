package io.redkit.cli.shell;

/** ANSI styling of the shell's output, or none (not a terminal, {@code NO_COLOR}, {@code --no-color}). */
final class Style {
    private final boolean color;

    Style(boolean color) {
        this.color = color;
    }

    /** True when escape sequences are written. */
    boolean color() {
        return color;
    }

    /** Table headings and labels. */
    String bold(String s) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    /** Secondary text: notes, "more" lines. */
    String dim(String s) {
        return color ? "\u001b[2m" + s + "\u001b[0m" : s;
    }

    /** Type names. */
    String type(String s) {
        return color ? "\u001b[36m" + s + "\u001b[0m" : s;
    }

    /** Errors. */
    String error(String s) {
        return color ? "\u001b[31m" + s + "\u001b[0m" : s;
    }
}
