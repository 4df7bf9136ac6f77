package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.DebianBase;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.RealImage;
import dev.datahub.fixtures.WheelBuilder;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.DeployedTag;
import dev.datahub.image.ImageContents;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.python.ImageWithPackages;
import dev.datahub.python.PythonSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package list on the real Debian single-user base ({@link DebianBase}: Debian's python3, jupyterhub, notebook,
 * ipykernel — their metadata as Debian installs it): build-image lists what the base provides without any
 * {@code <python>}, and an image that adds one package differs from it by exactly that package.
 */
class RealBasePackagesTest {

  @TempDir Path work;

  @Test
  void theDebianBasesPackagesAreListedAndAnAddedPackageIsTheWholeDiff() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String base = DebianBase.pushTo(registry);
      Path plain = Files.createDirectories(work.resolve("plain/notebooks"));
      Files.writeString(plain.resolve("intro.ipynb"), "{}\n");
      BuiltImage withoutPython = build(registry, base, work.resolve("plain"), null);
      ImageContents contents = withoutPython.contents();
      for (String name : List.of("jupyterhub", "notebook", "ipykernel", "tornado")) {
        assertTrue(contents.packages().containsKey(name), name + " from the base: " + contents.packages());
      }
      assertTrue(contents.packages().get("jupyterhub").startsWith("3."), contents.packages().get("jupyterhub"));
      assertEquals(List.of(), contents.installed());
      assertEquals(base.substring(base.indexOf('@') + 1), contents.baseDigest());
      assertEquals(contents, new DeployedTag(Set.of(registry.host()), RegistryCredential.Lookup.none())
          .read(withoutPython.reference()).orElseThrow().contents().orElseThrow());

      Path wheels = Files.createDirectories(work.resolve("wheels"));
      Path extra = WheelBuilder.pureModule("datahub-extra", "1.0").writeTo(wheels);
      Path withPackage = Files.createDirectories(work.resolve("extra/notebooks"));
      Files.writeString(withPackage.resolve("intro.ipynb"), "{}\n");
      Path lock = LockWriter.lock().pin("datahub-extra", "1.0", List.of(extra)).writeTo(work.resolve("extra.lock"));
      BuiltImage withExtra = build(registry, base, work.resolve("extra"), new PythonSpec(lock, "none", wheels, null,
          null, null, null, null, null, null, work.resolve("wheel-cache"), work.resolve("extra/target/datahub/python"), 0));

      List<String> lines = BundleDiff.between(bundle(withoutPython), bundle(withExtra)).lines();
      assertEquals(List.of("image " + withoutPython.digest().substring(0, 19) + " -> "
          + withExtra.digest().substring(0, 19), "Python package added: datahub-extra 1.0"), lines);
    }
  }

  private static ReleaseBundle bundle(BuiltImage image) {
    return new ReleaseBundle(image.reference(), image.digest(), "hub", "1.0.0", "sha256:c", "sha256:v", "sha256:e",
        "sha256:i", "none", List.of(), null, image.contents());
  }

  private BuiltImage build(LocalRegistry registry, String base, Path project, PythonSpec python) {
    ImageSpec spec = new ImageSpec(base, registry.host() + "/hubs/debian", List.of(), "Docker",
        List.of(new ContentMapping(Path.of("notebooks"), "/srv/datahub/notebooks", null, null, "1000:100")), List.of(),
        Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), project,
        project.resolve("target/datahub"), RealImage.sharedCache().resolve("jib"), "test");
    return new ImageWithPackages(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec, python);
  }
}
