package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.HandWrittenBase;
import dev.datahub.fixtures.ImageReader;
import dev.datahub.fixtures.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content layers on a docker-stacks-like base whose {@code /home/jovyan} is 1000:100 with mode 2775
 * (a hand-written layer, so no image builder decides those bits): the layers the plugin adds carry
 * the base's own owner and mode for every ancestor directory, setgid included, instead of the
 * root:root 0755 that would win over the base's entry and lock jovyan out of its home.
 */
class ContentDirectoriesTest {

  static LocalRegistry registry;
  static String base;

  @TempDir Path project;

  @BeforeAll
  static void pushBase() throws IOException {
    registry = LocalRegistry.start();
    base = HandWrittenBase.create()
        .dir("/etc", 0755, 0, 0)
        .dir("/home", 0755, 0, 0)
        .dir("/home/jovyan", 02775, 1000, 100)
        .file("/home/jovyan/.bashrc", "# jovyan\n".getBytes(), 0644, 1000, 100)
        .dir("/usr", 0755, 0, 0)
        .dir("/usr/local", 0755, 0, 0)
        .dir("/usr/local/share", 02775, 0, 50)
        .push(registry, "base/stacks:1");
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    registry.close();
  }

  private ImageSpecs project(String repository, String directoryMode) throws IOException {
    Files.createDirectories(project.resolve("examples/data"));
    Files.writeString(project.resolve("examples/intro.ipynb"), "{\"cells\": []}\n");
    Files.writeString(project.resolve("examples/data/a.csv"), "a\n1\n");
    Files.writeString(project.resolve("README.md"), "# hub\n");
    ImageSpecs spec = new ImageSpecs(project);
    spec.from = base;
    spec.to = registry.host() + "/" + repository;
    spec.insecure = Set.of(registry.host());
    spec.content.add(new ContentMapping(Path.of("examples"), "/home/jovyan/examples", "664", directoryMode, "1000:100"));
    spec.content.add(new ContentMapping(Path.of("examples"), "/usr/local/share/datahub/examples", null, directoryMode,
        "1000:100"));
    // a file into the directory the previous layer created: that layer's attributes are kept
    spec.content.add(new ContentMapping(Path.of("README.md"), "/usr/local/share/datahub/examples/README.md", null, null,
        null));
    return spec;
  }

  private static BuiltImage build(ImageSpecs spec) {
    return new SingleUserImage(dev.datahub.image.RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build());
  }

  private static Map<String, ImageReader.Entry> layer(BuiltImage image, int index) throws IOException {
    String repository = image.repository().substring(image.repository().indexOf('/') + 1);
    return new ImageReader(registry.api(), repository, image.digest()).layer(index);
  }

  private static void assertDir(Map<String, ImageReader.Entry> layer, String path, int mode, long uid, long gid) {
    ImageReader.Entry e = layer.get(path);
    assertTrue(e != null, path + " is in the layer: " + layer.keySet());
    assertTrue(e.directory(), path + " is a directory");
    assertEquals(Integer.toOctalString(mode), Integer.toOctalString(e.mode()), "mode of " + path);
    assertEquals(uid + ":" + gid, e.uid() + ":" + e.gid(), "owner of " + path);
  }

  @Test
  void ancestorsKeepTheBaseOwnerAndModeWithSetgidAndTheTargetGetsTheMappingOnes() throws IOException {
    BuiltImage image = build(project("hub/home", "2775"));

    Map<String, ImageReader.Entry> home = layer(image, 1);
    assertDir(home, "home", 0755, 0, 0);
    assertDir(home, "home/jovyan", 02775, 1000, 100);
    assertDir(home, "home/jovyan/examples", 02775, 1000, 100);
    assertDir(home, "home/jovyan/examples/data", 02775, 1000, 100);
    ImageReader.Entry notebook = home.get("home/jovyan/examples/intro.ipynb");
    assertEquals(0664, notebook.mode());
    assertEquals(1000L, notebook.uid());
    assertEquals(100L, notebook.gid());
    assertFalse(home.containsKey("home/jovyan/.bashrc"), "nothing of the base is copied");

    Map<String, ImageReader.Entry> share = layer(image, 2);
    assertDir(share, "usr", 0755, 0, 0);
    assertDir(share, "usr/local/share", 02775, 0, 50);
    assertDir(share, "usr/local/share/datahub", 0755, 0, 0); // the base lacks it: root:root 0755 like Docker's COPY
    assertDir(share, "usr/local/share/datahub/examples", 02775, 1000, 100);

    Map<String, ImageReader.Entry> readme = layer(image, 3);
    assertDir(readme, "usr/local/share/datahub/examples", 02775, 1000, 100); // as the layer below made it
    assertEquals(0644, readme.get("usr/local/share/datahub/examples/README.md").mode());
    assertEquals(0L, readme.get("usr/local/share/datahub/examples/README.md").uid());
  }

  @Test
  void sameInputsSameDigestAndAnotherModeAnotherTag(@TempDir Path otherCache) throws IOException {
    BuiltImage a = build(project("hub/repro-a", "2775"));
    ImageSpecs again = project("hub/repro-b", "2775");
    again.cache = otherCache.resolve("jib");
    again.output = otherCache.resolve("out");
    BuiltImage b = build(again);
    assertEquals(a.digest(), b.digest(), "same inputs, empty caches: the same image");
    assertEquals(a.hashTag(), b.hashTag());

    long mark = registry.mark();
    BuiltImage unchanged = build(project("hub/repro-a", "2775"));
    assertTrue(unchanged.reusedExisting());
    assertEquals(List.of(), registry.requestsSince(mark).stream().filter(r -> r.contains("/blobs/")).toList(),
        "an unchanged rebuild reads nothing of the base: its directories follow from its digest, which is hashed");

    BuiltImage c = build(project("hub/repro-a", "775"));
    assertNotEquals(a.hashTag(), c.hashTag(), "the setgid bit is part of the inputs");
    assertNotEquals(a.digest(), c.digest());
    assertDir(layer(c, 1), "home/jovyan/examples", 0775, 1000, 100);
    assertDir(layer(c, 1), "home/jovyan", 02775, 1000, 100);
  }

  @Test
  void setgidOnTheBuildMachinesDirectoriesDoesNotLeakIntoTheImage() throws Exception {
    ImageSpecs spec = project("hub/leak", "755");
    Process chmod = new ProcessBuilder("chmod", "2777", project.toString(), project.resolve("examples").toString(),
        project.resolve("examples/data").toString()).inheritIO().start();
    assertEquals(0, chmod.waitFor());
    BuiltImage image = build(spec);
    Map<String, ImageReader.Entry> home = layer(image, 1);
    assertDir(home, "home", 0755, 0, 0);
    assertDir(home, "home/jovyan/examples", 0755, 1000, 100);
    assertDir(home, "home/jovyan/examples/data", 0755, 1000, 100);
  }

  @Test
  void modesTakeThreeOrFourOctalDigitsOnly() throws IOException {
    for (String bad : List.of("27755", "2785", "rwx", "-1")) {
      ImageSpecs spec = project("hub/bad", bad);
      DataHubException e = assertThrows(DataHubException.class, () -> build(spec));
      assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("2775"), e.getMessage());
    }
  }
}
