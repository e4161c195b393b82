package dev.solo.ocr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pixel cap is checked from the header, before anything is decoded (issue 8, point 10). */
class ImagesTest {
    static byte[] png(int w, int h) throws Exception {
        // a one-bit picture: 20000x20000 pixels compress to a few tens of kilobytes
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void aHugeSmallFileIsRefusedFromItsHeaderWithTheNumbers() throws Exception {
        byte[] bomb = png(20_000, 20_000);
        assertThat(bomb.length).isLessThan(100_000);
        long heapBefore =
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThatThrownBy(() -> Images.decode(bomb, "bomb.png", 40_000_000))
                .isInstanceOf(OcrException.class)
                .hasMessage("bomb.png is 20000x20000 pixels (400.0 megapixels), over the limit of 40 megapixels"
                        + " (OCR_MAX_MEGAPIXELS); crop or scale it down, or raise OCR_MAX_MEGAPIXELS");
        long heapAfter =
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(heapAfter - heapBefore).as("nothing was decoded").isLessThan(200L * 1024 * 1024);
    }

    @Test
    void anImageUnderTheCapIsDecoded() throws Exception {
        assertThat(Images.decode(png(300, 200), "small.png", 60_000).getWidth()).isEqualTo(300);
    }

    @Test
    void bytesThatAreNoImageSaySo() {
        assertThatThrownBy(() -> Images.decode("hello".getBytes(), "the IMAGE body", 1_000_000))
                .hasMessage("the IMAGE body (5 bytes) is not an image this program can read; give a PNG or JPEG file");
        byte[] truncated = new byte[40];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, truncated, 0, 8);
        assertThatThrownBy(() -> Images.decode(truncated, "cut.png", 1_000_000))
                .hasMessageContaining("cut.png (40 bytes) is not an image");
    }
}
