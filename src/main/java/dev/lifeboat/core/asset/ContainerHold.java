package dev.lifeboat.core.asset;

/**
 * Told when a backup stops an app container to read its data consistently and when it starts it
 * again, so that a run killed in between can be repaired (the container started again) by the next one.
 */
public interface ContainerHold {
    ContainerHold NONE = new ContainerHold() {
        @Override
        public void stopping(String container) {
        }

        @Override
        public void started(String container) {
        }
    };

    void stopping(String container);

    void started(String container);
}
