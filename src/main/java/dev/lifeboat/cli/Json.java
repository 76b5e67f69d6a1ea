package dev.lifeboat.cli;

import dev.lifeboat.core.storage.ManifestCodec;

import java.io.PrintWriter;

/** Prints machine-readable output for --json. */
final class Json {
    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(ManifestCodec.mapper().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
