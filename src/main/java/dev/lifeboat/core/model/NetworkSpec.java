package dev.lifeboat.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A user-defined Docker network of a stack, as {@code docker network inspect} gave it at backup time:
 * driver and its options, IPAM (driver, subnets, gateways), labels and the internal, attachable and
 * IPv6 flags. Restore creates it when missing, before any container that joins it.
 */
public record NetworkSpec(String name, String driver, boolean internal, boolean attachable, boolean enableIpv6,
                          Map<String, String> options, Map<String, String> labels, JsonNode ipam) {

    /** The networks Docker always has; they are never recorded or created. */
    public static boolean builtIn(String name) {
        return name == null || name.equals("bridge") || name.equals("host") || name.equals("none")
                || name.startsWith("container:");
    }
}
