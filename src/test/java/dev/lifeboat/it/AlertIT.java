package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.core.storage.ManifestCodec;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts end to end on the real rig: a backup that fails because the database container was stopped
 * sends a real e-mail to an SMTP server (GreenMail, in-process, on loopback) and a JSON message to a
 * local HTTP webhook receiver. A receiver that answers 500 gets retries; the alert stays open and is
 * delivered once it recovers.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AlertIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private GreenMail smtp;
    private HttpServer webhook;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();

    @BeforeAll
    void setUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        webhook.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? 500 : 204;
            if (status == 204) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        demo = Rig.demoHome(tmp, Rig.uniqueName("alert"), false);
        demo.run("alert", "channel", "add", "ops-mail", "--email", "oncall@example.org", "--smtp", "127.0.0.1:" + port,
                "--from", "lifeboat@example.org", "--starttls", "off").ok();
        Rig.alwaysWith(demo.home(), "--master-password-file",
                java.nio.file.Files.writeString(tmp.resolve("master"), "alert test master").toString());
        java.nio.file.Path url = java.nio.file.Files.writeString(tmp.resolve("hook-url"),
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        demo.run("secret", "set", "ops-hook-url", "--from-file", url.toString()).ok();
        Rig.Result plain = demo.run("alert", "channel", "add", "ops-hook", "--webhook", "http://127.0.0.1:1/token-123");
        org.junit.jupiter.api.Assertions.assertTrue(plain.code() != 0 && plain.err().contains("secret:NAME"), plain.err());
        demo.run("alert", "channel", "add", "ops-hook", "--webhook", "secret:ops-hook-url").ok();
    }

    @AfterAll
    void tearDown() {
        Rig.removeByLabel(demo.name());
        smtp.stop();
        webhook.stop(0);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aFailingBackupSendsAnEmailAndAWebhookMessage() throws Exception {
        demo.run("alert", "channel", "test", "ops-mail").ok();
        demo.run("alert", "channel", "test", "ops-hook").ok();
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        assertEquals("[Lifeboat] Test message from Lifeboat", smtp.getReceivedMessages()[0].getSubject());
        assertEquals(1, received.size());

        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok();
        demo.run("alert", "evaluate").ok();
        int mailsBefore = smtp.getReceivedMessages().length;
        int hooksBefore = received.size();

        Rig.docker("stop", demo.name() + "-db");
        try {
            Rig.Result failed = demo.run("backup", demo.stack(), "--to", "disk");
            assertEquals(1, failed.code());
        } finally {
            Rig.docker("start", demo.name() + "-db");
        }
        assertTrue(smtp.waitForIncomingEmail(15_000, mailsBefore + 1));
        MimeMessage mail = smtp.getReceivedMessages()[mailsBefore];
        assertEquals("[Lifeboat] Backup of local/" + demo.name() + " failed", mail.getSubject());
        assertEquals("oncall@example.org", mail.getAllRecipients()[0].toString());
        String text = mail.getContent().toString();
        assertTrue(text.contains(demo.name() + "-db is not running") && text.contains("Kind: backup-failed"), text);

        assertEquals(hooksBefore + 1, received.size(), received.toString());
        JsonNode hook = ManifestCodec.mapper().readTree(received.get(received.size() - 1));
        assertEquals("lifeboat", hook.get("source").asText());
        assertEquals("backup-failed", hook.get("kind").asText());
        assertEquals("local", hook.get("host").asText());
        assertEquals(demo.name(), hook.get("stack").asText());
        assertEquals("open", hook.get("state").asText());
        assertTrue(hook.get("message").asText().contains("is not running"));

        // the same failure is not sent twice
        demo.run("alert", "evaluate").ok();
        assertEquals(hooksBefore + 1, received.size());
        assertTrue(demo.run("alert", "list").ok().out().contains("backup-failed"));
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aDestinationThatCannotBeOpenedRaisesAnAlertUntilItIsBack() throws Exception {
        Path spare = tmp.resolve("spare");
        demo.run("dest", "add", "spare", "--dir", spare.toString(), "--key-file", tmp.resolve("repo.key").toString()).ok();
        demo.run("alert", "evaluate").ok();
        int hooksBefore = received.size();
        Path moved = tmp.resolve("spare-moved");
        java.nio.file.Files.move(spare, moved); // the disk is unmounted
        demo.run("alert", "evaluate").ok();
        assertEquals(hooksBefore + 1, received.size());
        JsonNode hook = ManifestCodec.mapper().readTree(received.get(received.size() - 1));
        assertEquals("destination-unreachable", hook.get("kind").asText());
        assertTrue(hook.get("message").asText().contains("spare"), hook.toString());
        java.nio.file.Files.move(moved, spare); // and back
        demo.run("alert", "evaluate").ok();
        assertTrue(demo.run("alert", "list", "--all").ok().out().lines()
                .anyMatch(l -> l.contains("resolved") && l.contains("destination-unreachable")));
        assertEquals(hooksBefore + 1, received.size());
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void theDailyDigestIsTheDashboardInAnEmail() throws Exception {
        int before = smtp.getReceivedMessages().length;
        demo.run("alert", "digest", "--send").ok();
        assertTrue(smtp.waitForIncomingEmail(10_000, before + 1));
        MimeMessage digest = smtp.getReceivedMessages()[before];
        assertEquals("[Lifeboat] Daily digest", digest.getSubject());
        String text = digest.getContent().toString();
        assertTrue(text.contains("local/" + demo.name() + ": ") && text.contains("last backup") && text.contains("restore test")
                && text.contains("last drill") && text.contains("open alerts"), text);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aReceiverThatFailsGetsRetriesAndTheAlertIsDeliveredWhenItRecovers() throws Exception {
        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok();
        int hooksBefore = received.size();
        failNext.set(1000); // the receiver is down
        Rig.docker("stop", demo.name() + "-cache");
        try {
            assertEquals(1, demo.run("backup", demo.stack(), "--to", "disk").code());
        } finally {
            Rig.docker("start", demo.name() + "-cache");
        }
        assertEquals(hooksBefore, received.size());
        String active = demo.run("alert", "list").ok().out();
        assertTrue(active.contains("-cache") || active.contains("backup-failed"), active);
        failNext.set(0); // it recovers
        demo.run("alert", "evaluate").ok();
        assertEquals(hooksBefore + 1, received.size());
        assertTrue(received.get(received.size() - 1).contains(demo.name() + "-cache is not running"), received.toString());
    }
}
