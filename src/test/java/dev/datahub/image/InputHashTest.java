package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.datahub.image.ImageLayer.ImageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content-hash tag when a layer's producer hands over the content hashes it computed (the Python installer does,
 * for the files it has just written): the same tag as reading every file, so a cold build and a rebuild that reads
 * the staged files name the same image.
 */
class InputHashTest {

  @TempDir Path project;

  @Test
  void knownContentHashesGiveTheSameTagAsReadingTheFiles() throws IOException {
    Path a = Files.writeString(project.resolve("a.py"), "print('a')\n");
    Path b = Files.writeString(project.resolve("b.py"), "print('b')\n");
    List<ImageFile> read = List.of(new ImageFile(project, "/opt/pkg", 0755),
        new ImageFile(a, "/opt/pkg/a.py", 0644), new ImageFile(b, "/opt/pkg/b.py", 0755));
    List<ImageFile> known = List.of(new ImageFile(project, "/opt/pkg", 0755),
        new ImageFile(a, "/opt/pkg/a.py", 0644, null, ImageInputs.fileSha256(a)),
        new ImageFile(b, "/opt/pkg/b.py", 0755, null, ImageInputs.fileSha256(b)));

    assertEquals(inputHash(read), inputHash(known));
    assertEquals(inputHash(known), inputHash(known), "same inputs, same tag");

    List<ImageFile> wrong = List.of(known.get(0), known.get(1),
        new ImageFile(b, "/opt/pkg/b.py", 0755, null, ImageInputs.fileSha256(a)));
    assertNotEquals(inputHash(known), inputHash(wrong), "the given hash is what the tag covers");
  }

  private String inputHash(List<ImageFile> files) {
    ImageSpec spec = new ImageSpecs(project).build();
    return ImageInputs.inputHash(spec, List.of(new ImageFiles.PlannedLayer("python: pkg 1.0", files, "1000:100")),
        SingleUserImage.SCRATCH);
  }
}
