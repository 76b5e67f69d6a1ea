package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Alert;
import dev.lifeboat.core.model.AlertChannel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "alert", description = "Alerts (failed runs, missing backups, size anomalies, overdue drills) and where they go.",
        subcommands = {AlertCommand.ListAlerts.class, AlertCommand.Ack.class, AlertCommand.Evaluate.class, AlertCommand.Digest.class,
                AlertCommand.Channel.class})
final class AlertCommand {

    @Command(name = "list", description = "Open and acknowledged alerts (--all: the latest 100 of any state).")
    static final class ListAlerts extends AppCommand {
        @Option(names = "--all")
        boolean all;
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            var alerts = all ? app.history().alerts().recent(100) : app.history().alerts().active();
            if (json.on()) {
                Json.print(spec.commandLine().getOut(), alerts);
            } else {
                for (Alert a : alerts) {
                    spec.commandLine().getOut().printf("%5d %-12s %-15s %s  %s%n", a.id(), a.state(), a.kind(),
                            a.createdAt().toString().substring(0, 19), a.title());
                }
            }
            return 0;
        }
    }

    @Command(name = "ack", description = "Acknowledge an alert (it stays listed until resolved).")
    static final class Ack extends AppCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;
        @Option(names = "--resolve", description = "Mark it resolved instead")
        boolean resolve;

        @Override
        protected int run(AppContext app) {
            app.alerts().acknowledge(id, resolve, app.actor());
            return 0;
        }
    }

    @Command(name = "evaluate", description = "Run the alert rules now and deliver what they raise (the agent does this "
            + "after every run and every 5 minutes).")
    static final class Evaluate extends AppCommand {

        @Override
        protected int run(AppContext app) {
            var raised = app.alerts().evaluate();
            raised.forEach(a -> spec.commandLine().getOut().println("raised " + a.id() + ": " + a.title()));
            spec.commandLine().getOut().println(raised.size() + " new alerts, " + app.history().alerts().active().size() + " active");
            return 0;
        }
    }

    @Command(name = "digest", description = "The daily digest (every stack's last backup, trend, verify, drill and open "
            + "alerts); --send mails it to the e-mail channels (the agent does at 07:00).")
    static final class Digest extends AppCommand {
        @Option(names = "--send")
        boolean send;

        @Override
        protected int run(AppContext app) {
            if (send) {
                int n = app.alerts().sendDigest();
                spec.commandLine().getOut().println("Digest sent to " + n + " e-mail channels.");
                if (n == 0) {
                    throw new LifeboatException("No e-mail channel took the digest; add one with 'lifeboat alert channel add "
                            + "NAME --email TO --smtp HOST:PORT'");
                }
            } else {
                spec.commandLine().getOut().print(app.alerts().digest());
            }
            return 0;
        }
    }

    @Command(name = "channel", description = "Alert channels.", subcommands = {ChannelAdd.class, ChannelList.class, ChannelTest.class})
    static final class Channel {
    }

    @Command(name = "add", description = "Add or replace a channel. URLs and passwords may be secret:NAME (secret store).")
    static final class ChannelAdd extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @ArgGroup(multiplicity = "1")
        Kind kind;
        @Option(names = "--smtp", paramLabel = "HOST:PORT", defaultValue = "localhost:25")
        String smtp;
        @Option(names = "--from", paramLabel = "ADDRESS", defaultValue = "lifeboat@localhost")
        String from;
        @Option(names = "--starttls", paramLabel = "required|optional|off", defaultValue = "required")
        String starttls;
        @Option(names = "--smtp-user", paramLabel = "USER")
        String user;
        @Option(names = "--smtp-password", paramLabel = "secret:NAME", description = "Only as a reference to the secret store")
        String password;

        static final class Kind {
            @Option(names = "--slack", paramLabel = "secret:NAME", description = "The Slack webhook URL, stored as a secret")
            String slack;
            @Option(names = "--webhook", paramLabel = "secret:NAME", description = "The webhook URL, stored as a secret")
            String webhook;
            @Option(names = "--email", paramLabel = "TO[,TO…]")
            String email;
            @Option(names = "--ping", paramLabel = "URL", description = "Called after each good run (dead man's switch)")
            String ping;
        }

        @Override
        protected int run(AppContext app) {
            if (password != null && !password.startsWith("secret:")) {
                throw new LifeboatException("--smtp-password takes secret:NAME; store the password with 'lifeboat secret set NAME'");
            }
            for (String[] url : new String[][] {{"--slack", kind.slack}, {"--webhook", kind.webhook}}) {
                if (url[1] != null && !dev.lifeboat.core.secrets.Secrets.isReference(url[1])) {
                    throw new LifeboatException(url[0] + " takes secret:NAME, not the URL itself: webhook URLs carry their"
                            + " token, and the history is no place for it. Store it with 'lifeboat secret set " + name
                            + "-url' (typed or piped, never in argv), then use " + url[0] + " secret:" + name + "-url");
                }
            }
            AlertChannel c;
            if (kind.email != null) {
                Map<String, String> o = new LinkedHashMap<>();
                o.put("smtp", smtp);
                o.put("from", from);
                o.put("starttls", starttls);
                if (user != null) {
                    o.put("user", user);
                }
                if (password != null) {
                    o.put("password", password);
                }
                c = new AlertChannel(name, "email", kind.email, o);
            } else if (kind.slack != null) {
                c = new AlertChannel(name, "slack", kind.slack, Map.of());
            } else if (kind.webhook != null) {
                c = new AlertChannel(name, "webhook", kind.webhook, Map.of());
            } else {
                c = new AlertChannel(name, "ping", kind.ping, Map.of());
            }
            app.history().alerts().saveChannel(c);
            app.history().runs().audit(app.actor(), "alert-channel-add", name, c.kind());
            spec.commandLine().getOut().println("Channel " + name + " (" + c.kind() + ") saved. Try it: lifeboat alert channel test " + name);
            return 0;
        }
    }

    @Command(name = "list", description = "List channels.")
    static final class ChannelList extends AppCommand {

        @Override
        protected int run(AppContext app) {
            app.history().alerts().channels().forEach(c -> spec.commandLine().getOut().printf("%-16s %-8s %s%n", c.name(), c.kind(),
                    c.kind().equals("slack") ? "(webhook URL hidden)" : c.target()));
            return 0;
        }
    }

    @Command(name = "test", description = "Send a test message to a channel.")
    static final class ChannelTest extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(AppContext app) {
            try {
                app.alerts().sendTest(name);
            } catch (IOException e) {
                throw new LifeboatException("Channel " + name + ": test message not delivered: " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("Test message sent to " + name + ".");
            return 0;
        }
    }
}
