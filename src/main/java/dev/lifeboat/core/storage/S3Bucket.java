package dev.lifeboat.core.storage;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import dev.lifeboat.core.secrets.Secrets;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A destination in an S3 bucket (AWS or any S3 protocol server), laid out like a local one:
 * {@code <prefix>/<host>/<stack>/<point-id>/manifest.json} plus the artifacts. Artifacts stream up by
 * multipart upload in parts of 16 MiB by default (one part buffered at a time, so the heap holds one part
 * whatever the artifact's size; S3 takes at most 10,000 parts, so an artifact over about 156 GiB needs
 * larger parts, {@code partMiB}); each part carries Content-MD5, which
 * the server checks, and its returned ETag is compared as well; the object's final size is checked
 * with HEAD. The manifest is written last, so a point without one, left by a crash, is never listed.
 * Credentials come from the secret store when the location names them ({@code credentials=secret:NAME},
 * the secret holding {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY}), otherwise from the standard AWS provider chain.
 *
 * <p>Location syntax: {@code s3://bucket/prefix?endpoint=URL&region=R&pathStyle=true&storageClass=C}, and
 * {@code attempts=N&retryWait=MILLIS} for the per-request retries ({@link Retries}), {@code partMiB=N} for the
 * size of the parts (5 to 512 MiB).
 */
public final class S3Bucket implements Destination {
    public static final int DEFAULT_PART_MIB = 16;
    /** S3's limit on the parts of one multipart upload. */
    static final int MAX_PARTS = 10_000;

    /** The part size of a location's {@code partMiB} (the default when absent), in MiB, checked against S3's limits. */
    public static int partMiB(String destination, String value) {
        if (value == null) {
            return DEFAULT_PART_MIB;
        }
        int mib;
        try {
            mib = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new LifeboatException("Destination " + destination + ": the part size must be a number of MiB, not '"
                    + value + "'");
        }
        if (mib < 5 || mib > 512) {
            throw new LifeboatException("Destination " + destination + ": the part size must be 5 to 512 MiB (S3 takes no"
                    + " part under 5 MiB, and each part is held in memory while it goes up), not " + mib);
        }
        return mib;
    }

    /** The failure of an upload that would need more parts than S3 takes, before anything of that part is sent. */
    static LifeboatException tooManyParts(String destination, String key, int partMiB) {
        long gib = (long) MAX_PARTS * partMiB / 1024;
        return new LifeboatException("Destination " + destination + ": " + key + " is larger than S3's 10,000 parts of "
                + partMiB + " MiB (about " + gib + " GiB); give the destination larger parts: add it again with --part-size "
                + Math.min(512, partMiB * 4));
    }

    /**
     * How a failed request (5xx, throttling, a dropped connection) is retried: at most {@code attempts}
     * tries, waiting a random time up to {@code firstWait}, then up to twice that, and so on, capped at 16
     * times it. The default, 5 attempts from 0.5 s (capped at 8 s), fails a run within about half a
     * minute per request in an outage instead of hanging it; a destination on a slow or flaky link can
     * be given more patience, one on a local network less.
     */
    public record Retries(int attempts, Duration firstWait) {
        public static final Retries DEFAULT = new Retries(5, Duration.ofMillis(500));

        public Retries {
            if (attempts < 1 || attempts > 10) {
                throw new LifeboatException("S3 attempts per request must be 1 to 10, not " + attempts);
            }
            if (firstWait.toMillis() < 10 || firstWait.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new LifeboatException("The wait before the first S3 retry must be 10 ms to 1 minute, not "
                        + firstWait.toMillis() + " ms");
            }
        }

        /** The longest single wait. */
        public Duration maxWait() {
            return firstWait.multipliedBy(16);
        }

        /** The given settings, the default for each one left out (null). */
        public static Retries orDefault(Integer attempts, Duration firstWait) {
            return new Retries(attempts == null ? DEFAULT.attempts : attempts, firstWait == null ? DEFAULT.firstWait : firstWait);
        }

        static Retries of(String destination, Map<String, String> query) {
            try {
                String attempts = query.get("attempts");
                String wait = query.get("retryWait");
                return orDefault(attempts == null ? null : Integer.valueOf(attempts),
                        wait == null ? null : Duration.ofMillis(Long.parseLong(wait)));
            } catch (NumberFormatException e) {
                throw new LifeboatException("Destination " + destination + ": attempts and retryWait must be numbers");
            } catch (LifeboatException e) {
                throw new LifeboatException("Destination " + destination + ": " + e.getMessage());
            }
        }
    }
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3Bucket.class);
    private final String name;
    private final String location;
    private final String bucket;
    private final String prefix;
    private final String storageClass;
    private final int partBytes;
    private final S3Client s3;
    private final boolean etagIsMd5;
    /** Object Lock mode of every object of a point (GOVERNANCE or COMPLIANCE), or null without Object Lock. */
    private final software.amazon.awssdk.services.s3.model.ObjectLockMode lockMode;
    /** How long a new point's objects are retained until prune extends them to the tier the point holds. */
    private final java.time.Duration initialLock;

    public S3Bucket(String name, String location, Secrets secrets) {
        this(name, location, secrets, null);
    }

    /**
     * With {@code signingClock} set, requests are signed with that clock and the SDK's own correction
     * for clock skew is overridden: a machine whose clock is wrong, as the test rig provokes it.
     */
    public S3Bucket(String name, String location, Secrets secrets, java.time.Clock signingClock) {
        this.name = name;
        this.location = location;
        URI uri = URI.create(location);
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new LifeboatException("Destination " + name + ": expected s3://bucket/prefix, got " + location);
        }
        this.bucket = uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        this.prefix = path.isEmpty() ? "" : path + "/";
        Map<String, String> q = Locations.query(uri.getRawQuery());
        this.storageClass = q.get("storageClass");
        this.partBytes = partMiB(name, q.get("partMiB")) << 20;
        this.etagIsMd5 = !"opaque".equals(q.get("etag"));
        this.lockMode = q.containsKey("objectLock") ? lockMode(name, q.get("objectLock")) : null;
        this.initialLock = java.time.Duration.ofDays(Long.parseLong(q.getOrDefault("lockDays", "7")));
        Retries retries = Retries.of(name, q);
        var builder = S3Client.builder()
                .credentialsProvider(credentials(name, q.get("credentials"), secrets))
                .region(Region.of(q.getOrDefault("region", "us-east-1")))
                .forcePathStyle(Boolean.parseBoolean(q.getOrDefault("pathStyle", "false")))
                // plain signed uploads: the payload's SHA-256 in the signature instead of the SDK's streaming
                // "aws-chunked" framing, which self-hosted servers (s3rver, older MinIO, NAS gateways) store
                // as part of the object over plain HTTP (ADR 17)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .chunkedEncodingEnabled(false).build())
                // Lifeboat checks every part with Content-MD5 and every artifact with its own SHA-256;
                // no trailing checksums, which not every S3 protocol server understands
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // 5xx, throttling and dropped connections are retried per request (Retries)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(retries.attempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(retries.firstWait(), retries.maxWait()))
                        .build()));
        if (q.containsKey("endpoint")) {
            builder.endpointOverride(URI.create(q.get("endpoint")));
        }
        if (signingClock != null) {
            var standard = software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider.defaultProvider();
            builder.authSchemeProvider(params -> standard.resolveAuthScheme(params).stream()
                    .map(o -> o.toBuilder().putSignerProperty(
                            software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK, signingClock).build())
                    .toList());
        }
        this.s3 = builder.build();
    }

    private static AwsCredentialsProvider credentials(String name, String reference, Secrets secrets) {
        if (reference == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (!Secrets.isReference(reference)) {
            throw new LifeboatException("Destination " + name + ": credentials must name a secret (secret:NAME)");
        }
        String value = secrets.require(Secrets.nameOf(reference), "S3 credentials of destination " + name);
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new LifeboatException("Secret " + Secrets.nameOf(reference) + " must hold ACCESS_KEY_ID:SECRET_ACCESS_KEY");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(value.substring(0, colon), value.substring(colon + 1)));
    }

    @Override
    public void close() {
        s3.close();
    }

    private static software.amazon.awssdk.services.s3.model.ObjectLockMode lockMode(String name, String mode) {
        return switch (mode.toUpperCase(java.util.Locale.ROOT)) {
            case "GOVERNANCE" -> software.amazon.awssdk.services.s3.model.ObjectLockMode.GOVERNANCE;
            case "COMPLIANCE" -> software.amazon.awssdk.services.s3.model.ObjectLockMode.COMPLIANCE;
            default -> throw new LifeboatException("Destination " + name + ": Object Lock mode must be governance or"
                    + " compliance, not '" + mode + "'");
        };
    }

    /** Whether the objects of this destination's points are written under Object Lock. */
    public boolean objectLocked() {
        return lockMode != null;
    }

    /**
     * Refuses a bucket without Object Lock for a destination that asks for it: Object Lock can only be
     * turned on when a bucket is created, so the admin must make a new bucket or drop the option.
     */
    public void requireObjectLock() throws IOException {
        String enabled;
        try {
            enabled = call("GetObjectLockConfiguration", () -> s3.getObjectLockConfiguration(r -> r.bucket(bucket))
                    .objectLockConfiguration().objectLockEnabledAsString());
        } catch (IOException e) {
            String why = e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
                    && s3e.awsErrorDetails() != null ? s3e.awsErrorDetails().errorCode() + ": " + s3e.awsErrorDetails().errorMessage()
                    : e.getMessage();
            throw new LifeboatException("Bucket " + bucket + " at " + endpointOf(location) + " has no Object Lock (the server"
                    + " says " + why + "). Object Lock can only be turned on when a bucket is created: create a bucket with"
                    + " it (aws s3api create-bucket --object-lock-enabled-for-bucket) and add that one, or add this one"
                    + " without --object-lock", e);
        }
        if (!"Enabled".equals(enabled)) {
            throw new LifeboatException("Bucket " + bucket + " at " + endpointOf(location) + " has no Object Lock enabled"
                    + " (ObjectLockEnabled is " + enabled + "): create a bucket with Object Lock and add that one, or add"
                    + " this one without --object-lock");
        }
    }

    /** The keys of a point's objects. */
    private List<String> keysOf(String dir) throws IOException {
        return call("LIST " + dir, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(dir)).contents().stream()
                .map(S3Object::key).toList());
    }

    /** When an object's retention ends, or null when it has none. */
    private Instant retention(String key) throws IOException {
        try {
            return call("GetObjectRetention " + key, () -> s3.getObjectRetention(r -> r.bucket(bucket).key(key))
                    .retention().retainUntilDate());
        } catch (IOException e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() < 500) {
                return null; // no retention on this object (NoSuchObjectLockConfiguration and the like)
            }
            throw e;
        }
    }

    /**
     * Makes every object of the point retained at least until {@code until} (never shortens), the manifest
     * last, and reads the manifest's retention back: a server that does not keep it fails here, before
     * the point counts as immutable.
     */
    private void retain(String dir, Instant until) throws IOException {
        Instant at = until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String manifestKey = dir + StagedDirectory.MANIFEST;
        List<String> keys = new ArrayList<>(keysOf(dir));
        keys.remove(manifestKey);
        keys.add(manifestKey);
        for (String key : keys) {
            Instant current = retention(key);
            if (current == null || current.isBefore(at)) {
                call("PutObjectRetention " + key, () -> s3.putObjectRetention(r -> r.bucket(bucket).key(key)
                        .retention(x -> x.mode(lockMode.toString()).retainUntilDate(at))));
            }
        }
        Instant kept = retention(manifestKey);
        if (kept == null || kept.isBefore(at)) {
            throw new IntegrityException("The S3 server at " + endpointOf(location) + " did not keep the Object Lock"
                    + " retention of " + manifestKey + " (asked until " + at + ", it holds " + kept + ")");
        }
    }

    /** Until when a point is retained by Object Lock (its manifest's retention), or null when it is not. */
    public Instant retainedUntil(StoredPoint point) throws IOException {
        return retention(point.location() + "/" + StagedDirectory.MANIFEST);
    }

    /** Extends the Object Lock retention of every object of a point to {@code until}; never shortens it. */
    public void extendRetention(StoredPoint point, Instant until) throws IOException {
        if (!isPointPrefix(point)) {
            throw new LifeboatException("Refusing to touch " + point.location() + ": not a point of destination " + name);
        }
        Instant current = retainedUntil(point);
        if (current == null || current.isBefore(until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            retain(point.location() + "/", until);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return location;
    }

    private <T> T call(String what, java.util.concurrent.Callable<T> action) throws IOException {
        try {
            return action.call();
        } catch (SdkException e) {
            String advice = advice(e);
            throw new IOException("S3 " + what + " in bucket " + bucket + " failed: "
                    + (advice != null ? advice : e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** What an admin can do about an S3 error the server names, or null for one without a known remedy. */
    private String advice(SdkException e) {
        if (!(e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e) || s3e.awsErrorDetails() == null) {
            return null;
        }
        String code = String.valueOf(s3e.awsErrorDetails().errorCode());
        String server = endpointOf(location);
        return switch (code) {
            case "NoSuchBucket" -> "bucket " + bucket + " does not exist at " + server
                    + ": create it, or correct the s3:// location of this destination";
            case "RequestTimeTooSkewed" -> "this machine's clock differs from the S3 server's (" + server + ") by more than"
                    + " the 15 minutes a signature is valid: set the time right (timedatectl set-ntp true)";
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId" -> "the S3 server (" + server
                    + ") refused the credentials (" + code + "): check the access key id and secret key in the secret store"
                    + " ('lifeboat secret set' for this destination's credentials)";
            case "ExpiredToken", "TokenRefreshRequired" -> "the S3 credentials have expired (" + code + "): renew them and"
                    + " store the new ones with 'lifeboat secret set'";
            case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException" -> {
                String region = s3e.awsErrorDetails().sdkHttpResponse() == null ? null
                        : s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
                yield "bucket " + bucket + " is in another region than the one configured"
                        + (region == null ? "" : " (it is in " + region + ")") + ": add the destination again with --region "
                        + (region == null ? "REGION" : region);
            }
            case "AccessDenied" -> "the S3 server (" + server + ") denied access to bucket " + bucket
                    + ": the credentials lack permission for this bucket or prefix (a bucket policy or IAM policy)";
            default -> null;
        };
    }

    @Override
    public Optional<byte[]> readRoot(String file) throws IOException {
        try {
            return Optional.of(call("GET " + file, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + file)).asByteArray()));
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void writeRoot(String file, byte[] data) throws IOException {
        putSmall(prefix + file, data, null);
    }

    /** Puts a small object; with {@code lockUntil}, under Object Lock from its first byte (where the server honours it). */
    private void putSmall(String key, byte[] data, Instant lockUntil) throws IOException {
        String md5 = md5(data, 0, data.length);
        String etag = call("PUT " + key, () -> s3.putObject(r -> {
            r.bucket(bucket).key(key).contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5)));
            if (storageClass != null) {
                r.storageClass(storageClass);
            }
            if (lockUntil != null) {
                r.objectLockMode(lockMode).objectLockRetainUntilDate(lockUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
        }, RequestBody.fromBytes(data)).eTag());
        checkEtag(key, etag, md5);
    }

    private void checkEtag(String key, String etag, String md5) throws IOException {
        String e = etag == null ? "" : etag.replace("\"", "");
        if (etagIsMd5 && !e.equalsIgnoreCase(md5)) {
            throw new IntegrityException("S3 upload of " + key + " came back different from what was sent (ETag " + e
                    + ", sent MD5 " + md5 + "): the server at " + endpointOf(location) + " stored other bytes, or names"
                    + " objects by something else than their MD5 (server-side encryption). Run 'lifeboat dest add' for"
                    + " this destination again: it probes the server and records what it does");
        }
    }

    private static String endpointOf(String location) {
        Map<String, String> q = Locations.query(URI.create(location).getRawQuery());
        return q.getOrDefault("endpoint", "AWS S3");
    }

    /** A location as the probe found the server: with {@code etag=opaque} when its ETags are not MD5s. */
    public record Detected(String location, String detail) {
    }

    /** Probes the server a new S3 destination points at (see {@link #probe}) and returns the location to record. */
    public static Detected detect(String name, String location, dev.lifeboat.core.secrets.Secrets secrets) throws IOException {
        try (S3Bucket bucket = new S3Bucket(name, location, secrets)) {
            if (bucket.objectLocked()) {
                bucket.requireObjectLock();
            }
            Probe p = bucket.probe();
            return new Detected(p.etagIsMd5() ? location : location + (location.contains("?") ? "&" : "?") + "etag=opaque",
                    p.detail());
        }
    }

    /** What a probe of the server found: whether exact bytes come back, and whether ETags are MD5s. */
    public record Probe(boolean etagIsMd5, String detail) {
    }

    /**
     * Writes a small object, reads it back, compares, and deletes it: proves the server stores exactly
     * the bytes sent before anything depends on it, and finds out whether its ETags are the MD5 of the
     * content (not with server-side encryption). Refuses a server that changes what it stores, naming
     * the likely cause.
     */
    public Probe probe() throws IOException {
        String key = prefix + ".lifeboat-probe-" + java.util.UUID.randomUUID();
        byte[] data = ("Lifeboat probe " + java.time.Instant.now() + "\n").repeat(40).getBytes(StandardCharsets.UTF_8);
        String md5 = md5(data, 0, data.length);
        String etag;
        byte[] back;
        try {
            var put = call("PUT " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key)
                    .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5))), RequestBody.fromBytes(data)));
            etag = put.eTag();
            back = call("GET " + key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        } finally {
            try {
                if (lockMode != null) {
                    deleteVersions(key); // a versioned bucket: a plain delete would only hide it
                } else {
                    call("DELETE " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
                }
            } catch (IOException ignored) {
                // a probe object left behind is harmless; the failure above is what is reported
            }
        }
        if (!java.util.Arrays.equals(data, back)) {
            String got = new String(back, 0, Math.min(back.length, 40), StandardCharsets.UTF_8);
            throw new LifeboatException("The S3 server at " + endpointOf(location) + " stored other bytes than were sent ("
                    + back.length + " bytes came back for " + data.length + (got.matches("(?s)^[0-9a-f]+;chunk-signature=.*")
                    ? "; it kept the upload's aws-chunked framing as content" : "") + "). Lifeboat cannot keep backups"
                    + " there: check the server's S3 compatibility, or put it behind HTTPS");
        }
        boolean md5Etag = etag != null && etag.replace("\"", "").equalsIgnoreCase(md5);
        return new Probe(md5Etag, "exact bytes read back; " + (md5Etag
                ? "ETags are MD5s, so every uploaded part is checked against what was sent"
                : "ETags are not MD5s (server-side encryption?), so parts are checked by the signed payload hash only"));
    }

    static String md5(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PointWriter begin(String host, String stack, String pointId) {
        StagedDirectory.segment("host", host);
        StagedDirectory.segment("stack", stack);
        StagedDirectory.segment("point", pointId);
        return new Writer(prefix + host + "/" + stack + "/" + pointId + "/",
                lockMode == null ? null : Instant.now().plus(initialLock));
    }

    @Override
    public List<StoredPoint> list(String host, String stack) throws IOException {
        String p = prefix + (host == null ? "" : host + "/" + (stack == null ? "" : stack + "/"));
        List<StoredPoint> points = new ArrayList<>();
        for (S3Object o : call("LIST " + p, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p)).contents()
                .stream().toList())) {
            if (!o.key().endsWith("/" + StagedDirectory.MANIFEST)) {
                continue;
            }
            String[] parts = o.key().substring(prefix.length()).split("/");
            if (parts.length != 4) {
                continue;
            }
            points.add(new StoredPoint(parts[0], parts[1], parts[2], prefix + parts[0] + "/" + parts[1] + "/" + parts[2],
                    o.lastModified()));
        }
        points.sort(java.util.Comparator.comparing(StoredPoint::id));
        return points;
    }

    @Override
    public InputStream open(StoredPoint point, String file) throws IOException {
        String key = key(point, file);
        return call("GET " + key, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
    }

    @Override
    public byte[] read(StoredPoint point, String file) throws IOException {
        String key = key(point, file);
        ResponseBytes<GetObjectResponse> bytes = call("GET " + key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)));
        return bytes.asByteArray();
    }

    private String key(StoredPoint point, String file) {
        if (file.contains("/") || file.startsWith("..") || !isPointPrefix(point)) {
            throw new LifeboatException("Refusing to read " + file + " outside the recovery point " + point.id());
        }
        return point.location() + "/" + file;
    }

    /** Whether a point's location is its own key prefix in this bucket: never a path out of it. */
    private boolean isPointPrefix(StoredPoint point) {
        return point.locatedUnder(prefix);
    }

    @Override
    public void delete(StoredPoint point) throws IOException {
        if (!isPointPrefix(point)) {
            throw new LifeboatException("Refusing to delete " + point.location() + ": not a point of destination " + name);
        }
        String dir = point.location() + "/";
        call("DELETE " + dir + StagedDirectory.MANIFEST, () -> s3.deleteObject(r -> r.bucket(bucket).key(dir + StagedDirectory.MANIFEST)));
        deletePrefix(dir);
    }

    /** Objects under a point's prefix with no manifest, untouched since {@code before}: a run that died uploading. */
    @Override
    public List<Abandoned> sweepAbandoned(String host, String stack, Instant before, boolean dryRun) throws IOException {
        String p = prefix + host + "/" + stack + "/";
        java.util.Map<String, Instant> newest = new java.util.TreeMap<>();
        java.util.Set<String> complete = new java.util.HashSet<>();
        for (S3Object o : call("LIST " + p, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p)).contents()
                .stream().toList())) {
            String rest = o.key().substring(p.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                continue;
            }
            String point = rest.substring(0, slash);
            if (point.equals(WAL_AREA)) {
                continue; // the stack's WAL archives: no points, never leftovers
            }
            newest.merge(point, o.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
            if (rest.substring(slash + 1).equals(StagedDirectory.MANIFEST)) {
                complete.add(point);
            }
        }
        List<Abandoned> found = new ArrayList<>();
        for (var e : newest.entrySet()) {
            if (!complete.contains(e.getKey()) && e.getValue().isBefore(before)) {
                if (!dryRun) {
                    try {
                        deletePrefix(p + e.getKey() + "/");
                    } catch (IOException locked) {
                        if (lockMode == null) {
                            throw locked;
                        }
                        LOG.info("Leftover {} is still retained by Object Lock; swept once that lapses: {}", e.getKey(),
                                locked.getMessage());
                        continue;
                    }
                }
                found.add(new Abandoned(e.getKey(), e.getValue()));
            }
        }
        return found;
    }

    @Override
    public WalArchive wal(String host, String stack, String asset) {
        StagedDirectory.segment("host", host);
        StagedDirectory.segment("stack", stack);
        StagedDirectory.segment("asset", asset);
        String dir = prefix + host + "/" + stack + "/" + WAL_AREA + "/" + asset + "/";
        return new WalArchive() {
            @Override
            public OutputStream create(String file) {
                String key = dir + WalArchive.checkName(file);
                // a WAL file is at most a segment (16 MiB before compression): one PUT, whole or not at all
                return new java.io.ByteArrayOutputStream() {
                    private boolean closed;

                    @Override
                    public void close() throws IOException {
                        if (!closed) {
                            closed = true;
                            putSmall(key, toByteArray(), lockMode == null ? null : Instant.now().plus(initialLock));
                        }
                    }
                };
            }

            @Override
            public List<String> list() throws IOException {
                return call("LIST " + dir, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(dir)).contents().stream()
                        .map(o -> o.key().substring(dir.length())).filter(k -> !k.contains("/")).sorted().toList());
            }

            @Override
            public InputStream open(String file) throws IOException {
                String key = dir + WalArchive.checkName(file);
                return call("GET " + key, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
            }

            @Override
            public void delete(String file) throws IOException {
                String key = dir + WalArchive.checkName(file);
                call("DELETE " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
            }
        };
    }

    private void deletePrefix(String dir) throws IOException {
        if (lockMode != null) {
            deleteVersions(dir);
            return;
        }
        for (String key : keysOf(dir)) {
            call("DELETE " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
        }
    }

    /**
     * In a bucket with Object Lock (so versioned), deleting a key only hides it behind a delete marker:
     * every version under the prefix is deleted by its id instead, delete markers too. The server
     * refuses a version whose retention still holds; that refusal is the caller's failure.
     */
    private void deleteVersions(String dir) throws IOException {
        var pages = call("ListObjectVersions " + dir, () -> s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(dir))
                .stream().toList());
        for (var page : pages) {
            for (var v : page.versions()) {
                call("DELETE " + v.key() + " version " + v.versionId(), () -> s3.deleteObject(r -> r.bucket(bucket).key(v.key())
                        .versionId(v.versionId())));
            }
            for (var m : page.deleteMarkers()) {
                call("DELETE " + m.key() + " marker " + m.versionId(), () -> s3.deleteObject(r -> r.bucket(bucket).key(m.key())
                        .versionId(m.versionId())));
            }
        }
    }

    private final class Writer implements PointWriter {
        private final String dir;
        /** Until when the point's objects are retained from the start (Object Lock), or null. */
        private final Instant lockUntil;
        private boolean committed;

        Writer(String dir, Instant lockUntil) {
            this.dir = dir;
            this.lockUntil = lockUntil;
        }

        @Override
        public OutputStream create(String file) {
            return new Upload(dir + PointWriter.checkArtifactName(file), lockUntil);
        }

        @Override
        public StoredPoint commit(byte[] manifest, String signature) throws IOException {
            putSmall(dir + StagedDirectory.SIGNATURE, signature.getBytes(StandardCharsets.US_ASCII), lockUntil);
            putSmall(dir + StagedDirectory.MANIFEST, manifest, lockUntil);
            if (lockUntil != null) {
                retain(dir, lockUntil); // every object, confirmed by the server, before the point counts
            }
            committed = true;
            String[] parts = dir.substring(prefix.length()).split("/");
            return new StoredPoint(parts[0], parts[1], parts[2], dir.substring(0, dir.length() - 1), java.time.Instant.now());
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                try {
                    deletePrefix(dir);
                } catch (IOException e) {
                    if (lockMode == null) {
                        throw e;
                    }
                    // objects locked from their first byte stay until their retention lapses; prune sweeps them then
                    LOG.warn("Objects of the unfinished point under {} are retained by Object Lock; prune removes them"
                            + " once that lapses: {}", dir, e.getMessage());
                }
            }
        }
    }

    /** A multipart upload fed as a stream, one part buffered at a time. */
    private final class Upload extends OutputStream {
        private final String key;
        private final byte[] part = new byte[partBytes];
        private final List<CompletedPart> done = new ArrayList<>();
        private int filled;
        private long total;
        private String uploadId;
        private boolean closed;

        private final Instant lockUntil;

        Upload(String key, Instant lockUntil) {
            this.key = key;
            this.lockUntil = lockUntil;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == part.length) {
                    sendPart();
                }
                int n = Math.min(len, part.length - filled);
                System.arraycopy(b, off, part, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void sendPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = call("CreateMultipartUpload " + key, () -> s3.createMultipartUpload(r -> {
                        r.bucket(bucket).key(key);
                        if (storageClass != null) {
                            r.storageClass(storageClass);
                        }
                        if (lockUntil != null) {
                            r.objectLockMode(lockMode)
                                    .objectLockRetainUntilDate(lockUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                        }
                    }).uploadId());
                }
                int number = done.size() + 1;
                if (number > MAX_PARTS) {
                    throw tooManyParts(name, key, partBytes >> 20);
                }
                String md5 = md5(part, 0, filled);
                String etag = call("UploadPart " + number + " of " + key, () -> s3.uploadPart(r -> r.bucket(bucket).key(key)
                                .uploadId(uploadId).partNumber(number).contentLength((long) filled)
                                .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5))),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled))).eTag());
                checkEtag(key + " part " + number, etag, md5);
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += filled;
                filled = 0;
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        private void abort() {
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // the upload fails either way; the server expires abandoned uploads
                }
                uploadId = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (uploadId == null) {
                putSmall(key, java.util.Arrays.copyOf(part, filled), lockUntil);
                return;
            }
            if (filled > 0) {
                sendPart();
            }
            try {
                call("CompleteMultipartUpload " + key, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key)
                        .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(done).build())));
                long stored = call("HEAD " + key, () -> s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
                if (stored != total) {
                    throw new IntegrityException("S3 object " + key + " holds " + stored + " bytes, " + total + " were sent");
                }
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }
    }
}
