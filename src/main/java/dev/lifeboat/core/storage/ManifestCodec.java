package dev.lifeboat.core.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.model.Manifest;

import java.io.IOException;

/** Reads and writes manifest.json with Jackson; stable, indented, ISO-8601 timestamps. */
public final class ManifestCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Manifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise manifest", e);
        }
    }

    public static Manifest read(byte[] json, String where) {
        try {
            Manifest m = MAPPER.readValue(json, Manifest.class);
            if (m.format() != 1 && m.format() != Manifest.FORMAT) {
                throw new IntegrityException(where + ": manifest format " + m.format() + " is not supported");
            }
            return m;
        } catch (IOException e) {
            throw new IntegrityException(where + ": manifest is not readable: " + e.getMessage(), e);
        }
    }
}
