package dev.lifeboat.core.alert;

import dev.lifeboat.core.model.Alert;
import dev.lifeboat.core.model.AlertChannel;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.secrets.Secrets;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Sends alerts to one channel: Slack, a JSON webhook, e-mail over SMTP, or a ping URL. */
public final class Notifier {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AlertChannel channel;
    private final Secrets secrets;

    public Notifier(AlertChannel channel, Secrets secrets) {
        this.channel = channel;
        this.secrets = secrets;
    }

    private String resolve(String value) {
        return Secrets.isReference(value) ? secrets.require(Secrets.nameOf(value), "alert channel " + channel.name()) : value;
    }

    /** The documented webhook payload (ADR 12). */
    public static Map<String, Object> payload(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "lifeboat");
        m.put("version", 1);
        m.put("id", a.id());
        m.put("kind", a.kind());
        m.put("host", a.host());
        m.put("stack", a.stack());
        m.put("title", a.title());
        m.put("message", a.message());
        m.put("state", a.state());
        m.put("createdAt", a.createdAt().toString());
        return m;
    }

    public void send(Alert a) throws IOException {
        switch (channel.kind()) {
            case "slack" -> post(resolve(channel.target()), json(Map.of("text", ":rotating_light: *" + a.title() + "*\n" + a.message())));
            case "webhook" -> post(resolve(channel.target()), json(payload(a)));
            case "email" -> mail("[Lifeboat] " + a.title(), a.message() + "\n\nKind: " + a.kind() + "\nStack: "
                    + (a.host() == null ? "-" : a.host() + "/" + a.stack()) + "\nSince: " + a.createdAt() + "\n");
            case "ping" -> {
                // a ping channel is a dead man's switch for good runs; alerts are not sent to it
            }
            default -> throw new LifeboatException("Alert channel " + channel.name() + ": unknown kind " + channel.kind());
        }
    }

    /** A plain e-mail (the daily digest) to an e-mail channel. */
    public void sendText(String subject, String text) throws IOException {
        if (!channel.kind().equals("email")) {
            throw new LifeboatException("Channel " + channel.name() + " is not an e-mail channel");
        }
        mail(subject, text);
    }

    /** For the dead man's switch: a GET to the ping URL after a good run. */
    public void ping() throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(resolve(channel.target()))).timeout(Duration.ofSeconds(15)).GET().build();
        call(req);
    }

    private static String json(Map<String, Object> m) {
        try {
            return dev.lifeboat.core.storage.ManifestCodec.mapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void post(String url, String body) throws IOException {
        call(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private void call(HttpRequest req) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(channel.kind() + " " + req.uri().getHost() + " answered " + r.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void mail(String subject, String text) throws IOException {
        Map<String, String> o = channel.options();
        String[] smtp = o.getOrDefault("smtp", "localhost:25").split(":");
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp[0]);
        p.put("mail.smtp.port", smtp.length > 1 ? smtp[1] : "25");
        p.put("mail.smtp.connectiontimeout", "15000");
        p.put("mail.smtp.timeout", "15000");
        String starttls = o.getOrDefault("starttls", "required");
        p.put("mail.smtp.starttls.enable", Boolean.toString(!starttls.equals("off")));
        p.put("mail.smtp.starttls.required", Boolean.toString(starttls.equals("required")));
        String user = o.get("user");
        Session session;
        if (user != null) {
            p.put("mail.smtp.auth", "true");
            String password = resolve(o.getOrDefault("password", ""));
            session = Session.getInstance(p, new jakarta.mail.Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            });
        } else {
            session = Session.getInstance(p);
        }
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(o.getOrDefault("from", "lifeboat@localhost")));
            m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(channel.target()));
            m.setSubject(subject, "UTF-8");
            m.setText(text, "UTF-8");
            Transport.send(m);
        } catch (MessagingException e) {
            throw new IOException("SMTP " + smtp[0] + ": " + e.getMessage(), e);
        }
    }
}
