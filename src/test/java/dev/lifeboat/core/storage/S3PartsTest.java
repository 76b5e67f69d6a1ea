package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3PartsTest {
    @Test
    void partsAre16MiBUnlessTheLocationSays5To512() {
        assertEquals(16, S3Bucket.partMiB("d", null));
        assertEquals(5, S3Bucket.partMiB("d", "5"));
        assertEquals(512, S3Bucket.partMiB("d", "512"));
        for (String wrong : new String[] {"4", "513", "0", "-16", "16MiB", ""}) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> S3Bucket.partMiB("offsite", wrong), wrong);
            assertTrue(e.getMessage().startsWith("Destination offsite: the part size must be"), e.getMessage());
        }
    }

    @Test
    void anArtifactBeyondS3sPartLimitIsToldHowLargeThePartsMustBe() {
        String m = S3Bucket.tooManyParts("offsite", "b/local/shop/p1/volume-uploads.tar.lbe", 16).getMessage();
        assertTrue(m.contains("10,000 parts of 16 MiB (about 156 GiB)") && m.endsWith("--part-size 64"), m);
        assertTrue(S3Bucket.tooManyParts("offsite", "k", 512).getMessage().endsWith("--part-size 512"));
    }
}
