package io.redkit.kv.server;

import io.redkit.kv.Reply;

import java.util.ArrayList;
import java.util.List;

/** CLIENT ID / SETNAME / GETNAME / LIST / INFO / KILL / SETINFO / NO-EVICT / NO-TOUCH. */
final class ClientCommand {
    private ClientCommand() {
    }

    static boolean validName(String n) {
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    static Object run(KvServer server, ClientHandler c, List<byte[]> argv) {
        String sub = Commands.lower(argv.get(1));
        switch (sub) {
            case "id":
                return argc(argv, 2, sub) ? Reply.integer(c.id) : Commands.wrongArgs("client|id");
            case "setname": {
                if (!argc(argv, 3, sub)) {
                    return Commands.wrongArgs("client|setname");
                }
                String n = Commands.str(argv.get(2));
                if (!validName(n)) {
                    return Reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                c.name = n;
                return Reply.OK;
            }
            case "getname":
                if (!argc(argv, 2, sub)) {
                    return Commands.wrongArgs("client|getname");
                }
                return c.name.isEmpty() ? Reply.NULL : Reply.bulk(Commands.ascii(c.name));
            case "list": {
                StringBuilder sb = new StringBuilder();
                for (ClientHandler h : server.clients.values()) {
                    sb.append(h.infoLine()).append('\n');
                }
                return new Out.Verbatim(sb.toString());
            }
            case "info":
                return new Out.Verbatim(c.infoLine() + "\n");
            case "setinfo":
                if (!argc(argv, 4, sub)) {
                    return Commands.wrongArgs("client|setinfo");
                }
                return Reply.OK;
            case "no-evict", "no-touch":
                return Reply.OK;
            case "kill": {
                List<ClientHandler> victims = new ArrayList<>();
                if (argv.size() == 3) {
                    String addr = Commands.str(argv.get(2));
                    for (ClientHandler h : server.clients.values()) {
                        if (h.infoLine().contains(" addr=" + addr + " ")) {
                            victims.add(h);
                        }
                    }
                    if (victims.isEmpty()) {
                        return Reply.error("ERR No such client");
                    }
                    victims.forEach(h -> h.ch.close());
                    return Reply.OK;
                }
                if (argv.size() == 4 && Commands.lower(argv.get(2)).equals("id")) {
                    try {
                        ClientHandler h = server.clients.get(Long.parseLong(Commands.str(argv.get(3))));
                        if (h != null) {
                            h.ch.close();
                            return Reply.integer(1);
                        }
                        return Reply.integer(0);
                    } catch (NumberFormatException e) {
                        return Reply.error("ERR client-id should be greater than 0");
                    }
                }
                return Reply.SYNTAX;
            }
            default:
                return Reply.error("ERR unknown subcommand '" + Commands.str(argv.get(1)) + "'. Try CLIENT HELP.");
        }
    }

    private static boolean argc(List<byte[]> argv, int n, String sub) {
        return argv.size() == n;
    }
}
