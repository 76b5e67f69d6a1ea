package dev.lifeboat.core.history;

/** A registered destination: where it is and which key file opens it (the path only, never the key). */
public record DestinationRecord(String name, String kind, String location, String keyFile, String keyId) {
}
