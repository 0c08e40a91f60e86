package io.redkit.core.sink;

/**
 * Redis's glob matching ({@code KEYS}/{@code SCAN MATCH}) over bytes: {@code * ? [abc] [^a-z] \x}.
 */
public final class Glob {
    private final byte[] pattern;

    public Glob(byte[] pattern) {
        this.pattern = pattern.clone();
    }

    /** True when {@code s} matches the whole pattern. */
    public boolean matches(byte[] s) {
        return match(pattern, 0, s, 0, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, int depth) {
        if (depth > 1000) {
            // like Redis, refuse pathological nesting instead of recursing without bound
            return false;
        }
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                    break;
                case '[': {
                    if (si >= s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    int sc = s[si] & 0xFF;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if ((p[pi] & 0xFF) == sc) {
                                found = true;
                            }
                            pi++;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int a = p[pi] & 0xFF;
                            int b = p[pi + 2] & 0xFF;
                            if (a > b) {
                                int t = a;
                                a = b;
                                b = t;
                            }
                            if (sc >= a && sc <= b) {
                                found = true;
                            }
                            pi += 3;
                        } else {
                            if ((p[pi] & 0xFF) == sc) {
                                found = true;
                            }
                            pi++;
                        }
                    }
                    if (pi < p.length) {
                        pi++; // the closing ']'
                    }
                    if (not == found) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through to a literal comparison of the escaped byte
                default:
                    if (si >= s.length || p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    pi++;
            }
        }
        return si == s.length;
    }
}
