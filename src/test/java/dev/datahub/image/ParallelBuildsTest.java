package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mvn -T} does to build-image: several hubs build in one JVM at once. They share the JVM-global
 * {@code sendCredentialsOverHttp} property (needed for a basic-auth registry over plain HTTP) and the Jib cache.
 */
class ParallelBuildsTest {

  @TempDir Path tmp;

  @Test
  void propertyIsHeldWhileAnyBuildNeedsItAndRestoredByTheLast() {
    assertNull(System.getProperty(CredentialsOverHttp.PROPERTY));
    CredentialsOverHttp.acquire(); // hub a starts
    CredentialsOverHttp.acquire(); // hub b starts
    CredentialsOverHttp.release(); // hub a ends while b is still pushing
    assertEquals("true", System.getProperty(CredentialsOverHttp.PROPERTY), "b still needs it");
    CredentialsOverHttp.release();
    assertNull(System.getProperty(CredentialsOverHttp.PROPERTY), "nothing leaks after the last build");

    System.setProperty(CredentialsOverHttp.PROPERTY, "false"); // the user's own setting is restored
    try {
      CredentialsOverHttp.acquire();
      assertEquals("true", System.getProperty(CredentialsOverHttp.PROPERTY));
      CredentialsOverHttp.release();
      assertEquals("false", System.getProperty(CredentialsOverHttp.PROPERTY));
    } finally {
      System.clearProperty(CredentialsOverHttp.PROPERTY);
    }
  }

  @Test
  void hubsBuildInParallelAgainstOneInsecureBasicAuthRegistry() throws Exception {
    String user = "ci";
    String password = "par4llel-Passw0rd";
    try (LocalRegistry registry = LocalRegistry.startWithBasicAuth(user, password)) {
      RegistryCredential.Lookup credentials = host -> host.equals(registry.host())
          ? Optional.of(new RegistryCredential(user, password)) : Optional.empty();
      Path cache = tmp.resolve("shared-jib-cache"); // like ~/.cache/datahub/jib, shared by every module
      Path baseProject = tmp.resolve("base");
      Files.createDirectories(baseProject.resolve("rootfs/etc"));
      Files.writeString(baseProject.resolve("rootfs/etc/os-release"), "ID=testbase\n");
      ImageSpecs baseSpec = new ImageSpecs(baseProject);
      baseSpec.to = registry.host() + "/base/notebook:1";
      baseSpec.insecure = Set.of(registry.host());
      baseSpec.cache = cache;
      baseSpec.content("rootfs/etc", "/etc");
      new SingleUserImage(credentials, new CapturingLog()).build(baseSpec.build());

      int hubs = 6;
      List<ImageSpec> specs = new ArrayList<>();
      for (int i = 0; i < hubs; i++) {
        Path project = tmp.resolve("hub-" + i);
        Files.createDirectories(project.resolve("notebooks"));
        Files.writeString(project.resolve("notebooks/welcome.ipynb"), "{\"cells\": [], \"hub\": " + i + "}\n");
        Files.write(project.resolve("notebooks/data.bin"), new byte[200_000 + i]);
        ImageSpecs spec = new ImageSpecs(project);
        spec.from = registry.host() + "/base/notebook:1";
        spec.to = registry.host() + "/hub/hub-" + i;
        spec.insecure = Set.of(registry.host());
        spec.cache = cache;
        spec.content("notebooks", "/home/jovyan/notebooks");
        specs.add(spec.build());
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      CountDownLatch go = new CountDownLatch(1);
      try {
        List<Future<BuiltImage>> futures = new ArrayList<>();
        for (ImageSpec spec : specs) {
          futures.add(pool.submit(() -> {
            go.await(30, TimeUnit.SECONDS);
            return new SingleUserImage(credentials, new CapturingLog()).build(spec);
          }));
        }
        go.countDown(); // three start together; the others as threads free up
        for (int i = 0; i < hubs; i++) {
          BuiltImage built = futures.get(i).get(2, TimeUnit.MINUTES);
          assertTrue(built.pushed());
          assertEquals(Optional.of(built.digest()), registry.api().manifestDigest("hub/hub-" + i, built.hashTag()),
              "hub-" + i + " is in the registry");
        }
      } finally {
        pool.shutdownNow();
      }
      assertNull(System.getProperty(CredentialsOverHttp.PROPERTY), "the relaxation does not outlive the builds");
    }
  }
}
