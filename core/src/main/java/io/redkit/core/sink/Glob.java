package io.redkit.core.sink;

/**
 * Redis's glob matching ({@code KEYS}/{@code SCAN MATCH}) over bytes: {@code * ? [abc] [^a-z] \x}.
 * Matching backtracks only to the most recent {@code *}, so it takes O(pattern x key) time even
 * on patterns like {@code *a*a*a*b} that make naive recursion exponential.
 */
public final class Glob {
    private final byte[] pattern;

    public Glob(byte[] pattern) {
        this.pattern = pattern.clone();
    }

    /** True when {@code s} matches the whole pattern. */
    public boolean matches(byte[] s) {
        byte[] p = pattern;
        int pi = 0;
        int si = 0;
        int starP = -1;
        int starS = 0;
        while (si < s.length) {
            if (pi < p.length && p[pi] == '*') {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                starP = pi;
                starS = si;
                continue;
            }
            int next = pi < p.length ? matchOne(p, pi, s[si] & 0xFF) : -1;
            if (next >= 0) {
                pi = next;
                si++;
            } else if (starP >= 0) {
                // let the last star absorb one more byte and retry from just after it
                pi = starP;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    /**
     * Matches one pattern element at {@code pi} (not a star) against byte {@code c}; returns the
     * index after the element, or -1 when it does not match.
     */
    private static int matchOne(byte[] p, int pi, int c) {
        switch (p[pi]) {
            case '?':
                return pi + 1;
            case '[': {
                pi++;
                boolean not = pi < p.length && p[pi] == '^';
                if (not) {
                    pi++;
                }
                boolean found = false;
                while (pi < p.length && p[pi] != ']') {
                    if (p[pi] == '\\' && pi + 1 < p.length) {
                        found |= (p[pi + 1] & 0xFF) == c;
                        pi += 2;
                    } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                        int a = p[pi] & 0xFF;
                        int b = p[pi + 2] & 0xFF;
                        found |= c >= Math.min(a, b) && c <= Math.max(a, b);
                        pi += 3;
                    } else {
                        found |= (p[pi] & 0xFF) == c;
                        pi++;
                    }
                }
                if (pi < p.length) {
                    pi++; // the closing ']'
                }
                return not != found ? pi : -1;
            }
            case '\\':
                if (pi + 1 < p.length) {
                    return (p[pi + 1] & 0xFF) == c ? pi + 2 : -1;
                }
                return c == '\\' ? pi + 1 : -1;
            default:
                return (p[pi] & 0xFF) == c ? pi + 1 : -1;
        }
    }
}
