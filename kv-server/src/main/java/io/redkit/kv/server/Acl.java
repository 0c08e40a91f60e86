package io.redkit.kv.server;

import io.redkit.core.sink.Glob;
import io.redkit.kv.Reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Users and their permissions in Redis's ACL file syntax ({@code user NAME on >password ~keys &channels +@cat -cmd}):
 * passwords (kept only as SHA-256), on/off, key patterns (read, write or both), channel patterns, and commands allowed
 * by name, subcommand and category. Categories come from the command table's group and flags. Without a file the
 * default user follows {@code requirepass}.
 */
final class Acl {
    /** The categories ACL CAT lists, in Redis 7.0's order. */
    static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
            "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    /** Subcommands checked on their own ({@code +client|setname}), with categories beyond their container's. */
    private static final Map<String, String> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        for (String s : "id getname setname info reply no-evict".split(" ")) {
            SUBCOMMANDS.put("client|" + s, "");
        }
        for (String s : "list kill pause unpause unblock".split(" ")) {
            SUBCOMMANDS.put("client|" + s, "admin dangerous");
        }
        for (String s : "get set resetstat rewrite".split(" ")) {
            SUBCOMMANDS.put("config|" + s, "admin dangerous");
        }
        for (String s : "whoami cat".split(" ")) {
            SUBCOMMANDS.put("acl|" + s, "");
        }
        for (String s : "list users getuser setuser deluser load save log dryrun".split(" ")) {
            SUBCOMMANDS.put("acl|" + s, "admin dangerous");
        }
        for (String s : "encoding freq idletime refcount".split(" ")) {
            SUBCOMMANDS.put("object|" + s, "");
        }
        for (String s : "count docs info list getkeys".split(" ")) {
            SUBCOMMANDS.put("command|" + s, "");
        }
        for (String s : "load exists flush kill".split(" ")) {
            SUBCOMMANDS.put("script|" + s, "");
        }
        for (String s : "stream groups consumers".split(" ")) {
            SUBCOMMANDS.put("xinfo|" + s, "");
        }
        for (String s : "create destroy setid createconsumer delconsumer".split(" ")) {
            SUBCOMMANDS.put("xgroup|" + s, "");
        }
        for (String s : "channels numsub numpat".split(" ")) {
            SUBCOMMANDS.put("pubsub|" + s, "");
        }
    }

    private static final Set<String> DANGEROUS = Set.of("flushdb", "flushall", "keys", "info", "lastsave",
            "shutdown", "swapdb", "restore", "sort", "sort_ro", "debug", "migrate", "monitor", "save", "bgsave",
            "bgrewriteaof", "config", "role", "replicaof", "slaveof");

    /** One user: password hashes, flags, key and channel patterns, allowed command names. */
    static final class User {
        final String name;
        boolean on;
        boolean nopass;
        final List<String> hashes = new ArrayList<>();
        final List<byte[]> keyPatterns = new ArrayList<>();
        /** Per key pattern: 'b' both, 'r' read only, 'w' write only. */
        final List<Character> keyModes = new ArrayList<>();
        final List<String> keyRules = new ArrayList<>();
        boolean allChannels;
        final List<byte[]> channels = new ArrayList<>();
        final Set<String> allowed = new HashSet<>();
        /** Category rules then command rules, as ACL LIST describes them. */
        final List<String> catRules = new ArrayList<>();
        final Map<String, String> cmdRules = new LinkedHashMap<>();
        boolean baseAll;
        /** All commands, keys and channels: the check is skipped. */
        boolean unrestricted;

        User(String name) {
            this.name = name;
        }
    }

    private final Map<String, User> users = new TreeMap<>();
    private final Map<String, Set<String>> byCategory = new HashMap<>();
    private final Set<String> universe = new HashSet<>();
    private final Set<String> containers = new HashSet<>();
    private final boolean defaultFromFile;

    private Acl(CommandTable table, boolean defaultFromFile) {
        this.defaultFromFile = defaultFromFile;
        for (String c : CATEGORIES) {
            byCategory.put(c, new HashSet<>());
        }
        byCategory.put("all", universe);
        for (CommandTable.Cmd c : table.all()) {
            List<String> cats = categories(c);
            universe.add(c.name());
            for (String cat : cats) {
                byCategory.get(cat).add(c.name());
            }
        }
        for (Map.Entry<String, String> e : SUBCOMMANDS.entrySet()) {
            String container = e.getKey().substring(0, e.getKey().indexOf('|'));
            CommandTable.Cmd c = table.get(container);
            if (c == null) {
                continue;
            }
            containers.add(container);
            universe.add(e.getKey());
            Set<String> cats = new HashSet<>(categories(c));
            if (!e.getValue().isEmpty()) {
                cats.addAll(List.of(e.getValue().split(" ")));
            }
            if (container.equals("client") || container.equals("config") || container.equals("acl")) {
                // the container's own admin flag is for its admin subcommands only
                if (e.getValue().isEmpty()) {
                    cats.remove("admin");
                    cats.remove("dangerous");
                }
            }
            for (String cat : cats) {
                byCategory.get(cat).add(e.getKey());
            }
        }
    }

    /** A command's categories: its group and its flags (read, write, admin, fast or slow, blocking, pubsub). */
    static List<String> categories(CommandTable.Cmd c) {
        List<String> out = new ArrayList<>();
        String g = switch (c.group()) {
            case "generic" -> "keyspace";
            case "sorted_set" -> "sortedset";
            case "transactions" -> "transaction";
            case "server" -> null;
            default -> c.group();
        };
        if (g != null && CATEGORIES.contains(g)) {
            out.add(g);
        }
        if (c.flags().indexOf('r') >= 0) {
            out.add("read");
        }
        if (c.write()) {
            out.add("write");
        }
        if (c.flags().indexOf('a') >= 0) {
            out.add("admin");
            out.add("dangerous");
        } else if (DANGEROUS.contains(c.name())) {
            out.add("dangerous");
        }
        out.add(c.flags().indexOf('f') >= 0 ? "fast" : "slow");
        if (c.flags().indexOf('b') >= 0) {
            out.add("blocking");
        }
        if (c.flags().indexOf('p') >= 0 && !out.contains("pubsub")) {
            out.add("pubsub");
        }
        return out;
    }

    /** Without an ACL file: the default user may do everything; its password is {@code requirepass}. */
    static Acl defaults(CommandTable table) {
        Acl a = new Acl(table, false);
        a.users.put("default", a.defaultUser());
        return a;
    }

    /** Reads an ACL file (lines {@code user NAME rules...}, {@code #} comments); a bad line fails with its number. */
    static Acl load(Path file, CommandTable table) throws IOException {
        Acl a = new Acl(table, true);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            if (!w[0].equals("user") || w.length < 2) {
                throw new IOException("ACL file " + file + ":" + (n + 1) + ": a line must be 'user NAME rules...'");
            }
            if (a.users.containsKey(w[1])) {
                throw new IOException("ACL file " + file + ":" + (n + 1) + ": user '" + w[1] + "' defined twice");
            }
            User u = new User(w[1]);
            u.cmdRules.clear();
            u.catRules.clear();
            for (int i = 2; i < w.length; i++) {
                String err = a.apply(u, w[i]);
                if (err != null) {
                    // the rule may hold a password: name only its position
                    throw new IOException("ACL file " + file + ":" + (n + 1) + ": rule " + (i - 1) + " of user '"
                            + w[1] + "': " + err);
                }
            }
            a.settle(u);
            a.users.put(u.name, u);
        }
        if (!a.users.containsKey("default")) {
            a.users.put("default", a.defaultUser());
        }
        return a;
    }

    private User defaultUser() {
        User u = new User("default");
        for (String r : List.of("on", "nopass", "~*", "&*", "+@all")) {
            apply(u, r);
        }
        settle(u);
        return u;
    }

    private void settle(User u) {
        u.unrestricted = u.allowed.size() == universe.size() && u.keyRules.size() == 1
                && u.keyRules.get(0).equals("~*") && u.allChannels;
    }

    /** Applies one rule to a user; returns an error text, or null. */
    String apply(User u, String rule) {
        String lr = rule.toLowerCase(Locale.ROOT);
        switch (lr) {
            case "on" -> u.on = true;
            case "off" -> u.on = false;
            case "nopass" -> {
                u.nopass = true;
                u.hashes.clear();
            }
            case "resetpass" -> {
                u.nopass = false;
                u.hashes.clear();
            }
            case "allkeys" -> apply(u, "~*");
            case "resetkeys" -> {
                u.keyPatterns.clear();
                u.keyModes.clear();
                u.keyRules.clear();
            }
            case "allchannels" -> {
                u.allChannels = true;
                u.channels.clear();
            }
            case "resetchannels" -> {
                u.allChannels = false;
                u.channels.clear();
            }
            case "allcommands" -> commandRule(u, "+@all");
            case "nocommands" -> commandRule(u, "-@all");
            case "reset" -> {
                for (String r : List.of("resetpass", "resetkeys", "resetchannels", "off", "-@all")) {
                    apply(u, r);
                }
            }
            default -> {
                return prefixed(u, rule);
            }
        }
        return null;
    }

    private String prefixed(User u, String rule) {
        char c0 = rule.charAt(0);
        switch (c0) {
            case '>' -> {
                String h = sha256Hex(rule.substring(1).getBytes(StandardCharsets.UTF_8));
                if (!u.hashes.contains(h)) {
                    u.hashes.add(h);
                }
                u.nopass = false;
            }
            case '<' -> u.hashes.remove(sha256Hex(rule.substring(1).getBytes(StandardCharsets.UTF_8)));
            case '#', '!' -> {
                String h = rule.substring(1).toLowerCase(Locale.ROOT);
                if (!h.matches("[0-9a-f]{64}")) {
                    return "the password hash must be exactly 64 characters and contain only lowercase hexadecimal"
                            + " characters";
                }
                if (c0 == '!') {
                    u.hashes.remove(h);
                } else if (!u.hashes.contains(h)) {
                    u.hashes.add(h);
                    u.nopass = false;
                }
            }
            case '~' -> addKeys(u, rule.substring(1), 'b', rule);
            case '%' -> {
                int t = rule.indexOf('~');
                if (t < 2) {
                    return "syntax error in '" + rule + "'";
                }
                String mode = rule.substring(1, t).toUpperCase(Locale.ROOT);
                char m = switch (mode) {
                    case "R" -> 'r';
                    case "W" -> 'w';
                    case "RW", "WR" -> 'b';
                    default -> 0;
                };
                if (m == 0) {
                    return "syntax error in '" + rule + "'";
                }
                addKeys(u, rule.substring(t + 1), m, rule);
            }
            case '&' -> {
                String p = rule.substring(1);
                if (p.equals("*")) {
                    u.allChannels = true;
                    u.channels.clear();
                } else if (!u.allChannels) {
                    u.channels.add(p.getBytes(StandardCharsets.UTF_8));
                }
            }
            case '+', '-' -> {
                return commandRule(u, rule);
            }
            default -> {
                return "syntax error";
            }
        }
        return null;
    }

    private static void addKeys(User u, String pattern, char mode, String rule) {
        if (pattern.equals("*") && mode == 'b') {
            u.keyPatterns.clear();
            u.keyModes.clear();
            u.keyRules.clear();
        }
        u.keyPatterns.add(pattern.getBytes(StandardCharsets.UTF_8));
        u.keyModes.add(mode);
        u.keyRules.add(mode == 'b' ? "~" + pattern : rule);
    }

    private String commandRule(User u, String rule) {
        boolean add = rule.charAt(0) == '+';
        String what = rule.substring(1).toLowerCase(Locale.ROOT);
        if (what.startsWith("@")) {
            Set<String> names = byCategory.get(what.substring(1));
            if (names == null) {
                return "Unknown command or category name in ACL";
            }
            if (add) {
                u.allowed.addAll(names);
            } else {
                u.allowed.removeAll(names);
            }
            if (what.equals("@all")) {
                u.catRules.clear();
                u.cmdRules.clear();
                u.baseAll = add;
            } else {
                u.catRules.add(rule.toLowerCase(Locale.ROOT));
            }
            return null;
        }
        if (!universe.contains(what)) {
            return "Unknown command or category name in ACL";
        }
        if (add) {
            u.allowed.add(what);
        } else {
            u.allowed.remove(what);
        }
        if (containers.contains(what)) {
            for (String s : SUBCOMMANDS.keySet()) {
                if (s.startsWith(what + "|")) {
                    if (add) {
                        u.allowed.add(s);
                    } else {
                        u.allowed.remove(s);
                    }
                    u.cmdRules.remove(s);
                }
            }
        }
        u.cmdRules.remove(what);
        u.cmdRules.put(what, add ? "+" : "-");
        return null;
    }

    /** The user authenticated by name and password, or null (unknown, disabled or wrong password). */
    User authenticate(String name, byte[] password, String requirePass) {
        User u = users.get(name);
        if (u == null || !u.on) {
            return null;
        }
        if (u.name.equals("default") && !defaultFromFile) {
            if (requirePass == null || requirePass.isEmpty()) {
                return u;
            }
            return MessageDigest.isEqual(requirePass.getBytes(StandardCharsets.UTF_8), password) ? u : null;
        }
        if (u.nopass) {
            return u;
        }
        byte[] h = sha256Hex(password).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String s : u.hashes) {
            // compare every hash in full: the time taken does not tell which one matched
            ok |= MessageDigest.isEqual(s.getBytes(StandardCharsets.US_ASCII), h);
        }
        return ok ? u : null;
    }

    /** The default user. */
    User defaultUserNow() {
        return users.get("default");
    }

    /** Whether a new connection is authenticated as the default user without AUTH. */
    boolean defaultNeedsNoAuth(String requirePass) {
        User d = users.get("default");
        if (!d.on) {
            return false;
        }
        if (!defaultFromFile) {
            return requirePass == null || requirePass.isEmpty();
        }
        return d.nopass;
    }

    /** Whether the default user has no password (AUTH with one argument is then an error). */
    boolean defaultHasNoPassword(String requirePass) {
        if (!defaultFromFile) {
            return requirePass == null || requirePass.isEmpty();
        }
        return users.get("default").nopass;
    }

    /** NOPERM for a command, its keys or its channels as redis-server 7.0 words it; null when permitted. */
    Reply check(User u, CommandTable.Cmd cmd, List<byte[]> argv) {
        if (u.unrestricted) {
            return null;
        }
        String name = cmd.name();
        if (containers.contains(name) && argv.size() > 1) {
            String sub = name + "|" + Commands.lower(argv.get(1));
            if (SUBCOMMANDS.containsKey(sub)) {
                name = sub;
            }
        }
        if (!u.allowed.contains(name)) {
            return Reply.error("NOPERM this user has no permissions to run the '" + name + "' command");
        }
        List<byte[]> keys = keysOf(cmd, argv);
        for (byte[] k : keys) {
            if (!keyAllowed(u, k, cmd)) {
                return Reply.error("NOPERM this user has no permissions to access one of the keys used as arguments");
            }
        }
        if (!u.allChannels) {
            boolean pattern = cmd.name().equals("psubscribe");
            int from;
            int to;
            switch (cmd.name()) {
                case "publish" -> {
                    from = 1;
                    to = 2;
                }
                case "subscribe", "psubscribe" -> {
                    from = 1;
                    to = argv.size();
                }
                default -> {
                    from = 0;
                    to = 0;
                }
            }
            for (int i = from; i < to; i++) {
                if (!channelAllowed(u, argv.get(i), pattern)) {
                    return Reply.error("NOPERM this user has no permissions to access one of the channels used as "
                            + "arguments");
                }
            }
        }
        return null;
    }

    private static List<byte[]> keysOf(CommandTable.Cmd cmd, List<byte[]> argv) {
        String n = cmd.name();
        if (n.startsWith("eval")) {
            try {
                int nk = Integer.parseInt(Commands.str(argv.get(2)));
                if (nk >= 0 && nk <= argv.size() - 3) {
                    return argv.subList(3, 3 + nk);
                }
            } catch (NumberFormatException e) {
                // the command itself reports it
            }
            return List.of();
        }
        return cmd.keys(argv);
    }

    private static boolean keyAllowed(User u, byte[] key, CommandTable.Cmd cmd) {
        boolean write = cmd.write();
        boolean read = !write || cmd.name().equals("getdel") || cmd.name().equals("getex")
                || cmd.name().equals("getset") || cmd.name().startsWith("eval");
        for (int i = 0; i < u.keyPatterns.size(); i++) {
            char m = u.keyModes.get(i);
            if ((read && m == 'w') || (write && m == 'r')) {
                continue;
            }
            if (new Glob(u.keyPatterns.get(i)).matches(key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean channelAllowed(User u, byte[] channel, boolean pattern) {
        for (byte[] p : u.channels) {
            // a pattern subscription needs the very same pattern, as Redis
            if (pattern ? java.util.Arrays.equals(p, channel) : new Glob(p).matches(channel)) {
                return true;
            }
        }
        return false;
    }

    /** ACL LIST: one line per user, passwords as hashes only. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (User u : users.values()) {
            StringBuilder sb = new StringBuilder("user ").append(u.name).append(u.on ? " on" : " off");
            if (u.nopass || (u.name.equals("default") && !defaultFromFile)) {
                sb.append(" nopass");
            }
            for (String h : u.hashes) {
                sb.append(" #").append(h);
            }
            for (String k : u.keyRules) {
                sb.append(' ').append(k);
            }
            if (u.allChannels) {
                sb.append(" &*");
            } else {
                sb.append(" resetchannels");
                for (byte[] c : u.channels) {
                    sb.append(" &").append(new String(c, StandardCharsets.UTF_8));
                }
            }
            sb.append(u.baseAll ? " +@all" : " -@all");
            for (String r : u.catRules) {
                sb.append(' ').append(r);
            }
            for (Map.Entry<String, String> e : u.cmdRules.entrySet()) {
                sb.append(' ').append(e.getValue()).append(e.getKey());
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** The user names, sorted. */
    List<String> userNames() {
        return new ArrayList<>(users.keySet());
    }

    /** ACL CAT NAME: the commands (and subcommands) of a category, or null when there is no such category. */
    List<String> commandsOf(String category) {
        Set<String> s = byCategory.get(category.toLowerCase(Locale.ROOT));
        if (s == null || category.equalsIgnoreCase("all")) {
            return null;
        }
        // a container is listed by its subcommands, as Redis does
        java.util.TreeSet<String> names = new java.util.TreeSet<>(s);
        names.removeAll(containers);
        return new ArrayList<>(names);
    }

    /** Whether the default user could be used without a password (a non-loopback bind is then refused). */
    boolean openDefault(String requirePass) {
        return defaultNeedsNoAuth(requirePass);
    }

    static String sha256Hex(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
            StringBuilder sb = new StringBuilder(64);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
