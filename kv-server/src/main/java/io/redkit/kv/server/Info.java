package io.redkit.kv.server;

import io.redkit.kv.KvEngine;
import io.redkit.kv.KvIntrospect;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** INFO's sections: server, clients, memory, persistence, stats (ops/s), replication, cpu, keyspace. */
final class Info {
    /** The Redis version announced to clients (the command set and replies follow Redis 7). */
    static final String VERSION = "7.0.0";
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "keyspace");

    private Info() {
    }

    static String text(KvServer s, List<byte[]> argv) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String n = Commands.lower(argv.get(i));
            if (n.equals("all") || n.equals("everything") || n.equals("default")) {
                sections.addAll(DEFAULT);
            } else {
                sections.add(n);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(DEFAULT);
        }
        StringBuilder sb = new StringBuilder();
        for (String sec : sections) {
            List<String> lines = section(s, sec);
            if (lines == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append("# ").append(Character.toUpperCase(sec.charAt(0))).append(sec.substring(1)).append("\r\n");
            for (String l : lines) {
                sb.append(l).append("\r\n");
            }
        }
        return sb.toString();
    }

    private static List<String> section(KvServer s, String name) {
        List<String> l = new ArrayList<>();
        long now = System.currentTimeMillis();
        Runtime rt = Runtime.getRuntime();
        switch (name) {
            case "server" -> {
                l.add("redis_version:" + VERSION);
                l.add("redkit_server:kv-serve");
                l.add("redis_mode:standalone");
                l.add("os:" + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
                l.add("arch_bits:64");
                l.add("process_id:" + ProcessHandle.current().pid());
                l.add("tcp_port:" + s.port());
                l.add("uptime_in_seconds:" + (now - s.startMs) / 1000);
                l.add("uptime_in_days:" + (now - s.startMs) / 86_400_000);
                l.add("executable:java");
            }
            case "clients" -> {
                long blocked = s.clients.values().stream().filter(ClientHandler::isBlocked).count();
                l.add("connected_clients:" + s.clients.size());
                l.add("maxclients:" + s.config.maxClients);
                l.add("blocked_clients:" + blocked);
                l.add("pubsub_clients:" + s.clients.values().stream()
                        .filter(c -> !c.channels.isEmpty() || !c.patterns.isEmpty()).count());
            }
            case "memory" -> {
                long used = s.usedMemory > 0 ? s.usedMemory : s.engine.usedMemory();
                l.add("used_memory:" + used);
                l.add("used_memory_human:" + human(used));
                l.add("used_memory_dataset_estimate:" + used);
                l.add("jvm_heap_used:" + (rt.totalMemory() - rt.freeMemory()));
                l.add("jvm_heap_committed:" + rt.totalMemory());
                l.add("jvm_heap_max:" + rt.maxMemory());
                l.add("maxmemory:" + s.config.maxMemory);
                l.add("maxmemory_human:" + human(s.config.maxMemory));
                l.add("maxmemory_policy:" + s.config.maxMemoryPolicy);
            }
            case "persistence" -> {
                l.add("loading:0");
                l.add("appendfsync:" + s.config.appendFsync);
                l.addAll(s.persistence.info());
            }
            case "stats" -> {
                l.add("total_connections_received:" + s.connectionsReceived.sum());
                l.add("total_commands_processed:" + s.commands.sum());
                l.add("instantaneous_ops_per_sec:" + s.opsPerSec);
                l.add("rejected_connections:" + s.rejectedConnections.sum());
                l.add("pubsub_channels:" + s.pubsub.channelCount());
                l.add("pubsub_patterns:" + s.pubsub.patternCount());
            }
            case "replication" -> {
                l.add("role:master");
                l.add("connected_slaves:0");
            }
            case "cpu" -> {
                var os = ManagementFactory.getOperatingSystemMXBean();
                long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
                l.add(String.format(Locale.ROOT, "used_cpu_sys:%.6f", 0.0));
                l.add(String.format(Locale.ROOT, "used_cpu_user:%.6f", cpu / 1e9));
            }
            case "keyspace" -> {
                for (int db = 0; db < KvEngine.DATABASES; db++) {
                    long keys = s.engine.dbSize(db);
                    if (keys > 0) {
                        l.add("db" + db + ":keys=" + keys + ",expires=" + KvIntrospect.expiresCount(s.engine, db)
                                + ",avg_ttl=0");
                    }
                }
            }
            default -> {
                return null;
            }
        }
        return l;
    }

    static String human(long b) {
        if (b < 1024) {
            return b + "B";
        }
        String[] u = {"K", "M", "G", "T"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, u[i]);
    }
}
