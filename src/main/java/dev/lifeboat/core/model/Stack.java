package dev.lifeboat.core.model;

import java.util.List;

/** A Compose project on a host, with its containers, named volumes and the assets that hold data. */
public record Stack(String host, String name, List<ContainerSpec> containers, List<VolumeSpec> volumes, List<Asset> assets) {
}
