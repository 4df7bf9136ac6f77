package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.ImageReader;
import dev.datahub.fixtures.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-image against a real registry: everything is read back through the registry's HTTP API. */
class SingleUserImageTest {

  static LocalRegistry registry;
  static String base;
  static String baseDigest;

  @TempDir Path project;

  @BeforeAll
  static void startRegistry(@TempDir Path baseProject) throws IOException {
    registry = LocalRegistry.start();
    // A small base image of our own, pushed to the registry, stands in for a docker-stacks image.
    Files.createDirectories(baseProject.resolve("rootfs/etc"));
    Files.writeString(baseProject.resolve("rootfs/etc/os-release"), "ID=testbase\n");
    ImageSpecs spec = new ImageSpecs(baseProject);
    spec.to = registry.host() + "/base/notebook:1";
    spec.insecure = Set.of(registry.host());
    spec.content("rootfs/etc", "/etc");
    spec.environment.put("PATH", "/opt/conda/bin:/usr/bin");
    spec.entrypoint = List.of("tini", "-g", "--");
    spec.cmd = List.of("start-notebook.py");
    spec.workingDirectory = "/home/jovyan";
    BuiltImage built = new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build());
    base = registry.host() + "/base/notebook:1";
    baseDigest = built.digest();
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    registry.close();
  }

  private ImageSpecs hubProject(String repository) throws IOException {
    Files.createDirectories(project.resolve("notebooks/intro"));
    Files.writeString(project.resolve("notebooks/welcome.ipynb"), "{\"cells\": []}\n");
    Files.writeString(project.resolve("notebooks/intro/data.csv"), "a,b\n1,2\n");
    Files.writeString(project.resolve("jupyter_server_config.py"), "c.ServerApp.shutdown_no_activity_timeout = 3600\n");
    Path script = project.resolve("before-notebook.sh");
    Files.writeString(script, "#!/bin/bash\necho hello\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    ImageSpecs spec = new ImageSpecs(project);
    spec.from = base;
    spec.to = registry.host() + "/" + repository;
    spec.insecure = Set.of(registry.host());
    spec.content("jupyter_server_config.py", "/etc/jupyter/jupyter_server_config.py");
    spec.content("before-notebook.sh", "/usr/local/bin/before-notebook.d/hello.sh");
    spec.content.add(new ContentMapping(Path.of("notebooks"), "/home/jovyan/notebooks", null, null, "1000:100"));
    return spec;
  }

  private BuiltImage build(ImageSpecs spec, CapturingLog log) {
    return new SingleUserImage(RegistryCredential.Lookup.none(), log).build(spec.build());
  }

  private static String repo(BuiltImage image) {
    return image.repository().substring(image.repository().indexOf('/') + 1);
  }

  @Test
  void imageConfigCarriesUserEnvironmentLabelsAndInheritsWhatIsNotSet() throws IOException {
    ImageSpecs spec = hubProject("hub/config");
    spec.environment.put("DATAHUB", "staging");
    spec.labels.put("org.opencontainers.image.source", "https://example.org/hub");
    BuiltImage image = build(spec, new CapturingLog());

    JsonNode config = new ImageReader(registry.api(), repo(image), image.digest()).config().get("config");
    assertEquals("1000:100", config.get("User").asText(), "default user is the docker-stacks jovyan");
    assertTrue(config.get("Env").toString().contains("DATAHUB=staging"));
    assertTrue(config.get("Env").toString().contains("PATH=/opt/conda/bin:/usr/bin"), "base env kept");
    assertEquals("https://example.org/hub", config.get("Labels").get("org.opencontainers.image.source").asText());
    assertEquals("[\"tini\",\"-g\",\"--\"]", config.get("Entrypoint").toString(), "entrypoint inherited");
    assertEquals("[\"start-notebook.py\"]", config.get("Cmd").toString(), "cmd inherited from the base");
    assertEquals("/home/jovyan", config.get("WorkingDir").asText(), "working directory inherited");
    assertEquals(baseDigest, image.baseDigest());
  }

  @Test
  void setEntrypointAndCmdReplaceTheBaseOnes() throws IOException {
    ImageSpecs spec = hubProject("hub/entrypoint");
    spec.entrypoint = List.of("tini", "--");
    spec.cmd = List.of("start-singleuser.py", "--debug");
    spec.user = "1001:100";
    spec.workingDirectory = "/srv";
    BuiltImage image = build(spec, new CapturingLog());
    JsonNode config = new ImageReader(registry.api(), repo(image), image.digest()).config().get("config");
    assertEquals("[\"tini\",\"--\"]", config.get("Entrypoint").toString());
    assertEquals("[\"start-singleuser.py\",\"--debug\"]", config.get("Cmd").toString());
    assertEquals("1001:100", config.get("User").asText());
    assertEquals("/srv", config.get("WorkingDir").asText());
  }

  @Test
  void layersHoldTheMappedFilesWithModesOwnersAndFixedTimes() throws IOException {
    BuiltImage image = build(hubProject("hub/layers"), new CapturingLog());
    ImageReader reader = new ImageReader(registry.api(), repo(image), image.digest());
    assertEquals(1 + 3, reader.manifest().layers().size(), "one base layer + one layer per content mapping");

    Map<String, ImageReader.Entry> config = reader.layer(1);
    ImageReader.Entry file = config.get("etc/jupyter/jupyter_server_config.py");
    assertEquals("c.ServerApp.shutdown_no_activity_timeout = 3600\n", file.content());
    assertEquals(0644, file.mode());
    assertEquals(1000L, file.modTimeMillis(), "fixed modification time (epoch + 1 s) for reproducibility");

    ImageReader.Entry script = reader.layer(2).get("usr/local/bin/before-notebook.d/hello.sh");
    assertEquals(0755, script.mode(), "executable bit of the source is kept");

    Map<String, ImageReader.Entry> notebooks = reader.layer(3);
    assertEquals("{\"cells\": []}\n", notebooks.get("home/jovyan/notebooks/welcome.ipynb").content());
    assertEquals("a,b\n1,2\n", notebooks.get("home/jovyan/notebooks/intro/data.csv").content());
    assertEquals(1000L, notebooks.get("home/jovyan/notebooks/welcome.ipynb").uid());
    assertEquals(100L, notebooks.get("home/jovyan/notebooks/welcome.ipynb").gid());
    assertTrue(notebooks.get("home/jovyan/notebooks/intro").directory());
    assertEquals(0755, notebooks.get("home/jovyan/notebooks/intro").mode());
  }

  @Test
  void configuredFileModeWins() throws IOException {
    ImageSpecs spec = hubProject("hub/modes");
    spec.content.set(0, new ContentMapping(Path.of("jupyter_server_config.py"), "/etc/jupyter/jupyter_server_config.py",
        "600", null, null));
    BuiltImage image = build(spec, new CapturingLog());
    ImageReader reader = new ImageReader(registry.api(), repo(image), image.digest());
    assertEquals(0600, reader.layer(1).get("etc/jupyter/jupyter_server_config.py").mode());
  }

  @Test
  void sameInputsGiveTheSameDigestWithEmptyCaches(@TempDir Path otherCache) throws IOException {
    ImageSpecs first = hubProject("hub/repro-a");
    BuiltImage a = build(first, new CapturingLog());
    ImageSpecs second = hubProject("hub/repro-b");
    second.cache = otherCache;
    second.output = otherCache.resolve("out");
    BuiltImage b = build(second, new CapturingLog());
    assertEquals(a.digest(), b.digest());
    assertEquals(a.hashTag(), b.hashTag());
    assertFalse(b.reusedExisting(), "the second repository did not have the image: it was really built");
  }

  @Test
  void unchangedRebuildIsOneRegistryCheckAndUploadsNothing() throws IOException {
    ImageSpecs spec = hubProject("hub/noop");
    spec.tags = List.of("staging");
    BuiltImage first = build(spec, new CapturingLog());

    long mark = registry.mark();
    CapturingLog log = new CapturingLog();
    BuiltImage again = build(spec, log);
    assertTrue(again.reusedExisting());
    assertEquals(first.digest(), again.digest());
    assertEquals(List.of(), registry.blobUploadsSince(mark));
    assertEquals(List.of(), registry.manifestPutsSince(mark));
    List<String> tagChecks = registry.requestsSince(mark).stream()
        .filter(r -> r.contains("/manifests/" + first.hashTag())).toList();
    assertEquals(1, tagChecks.size(), "one request decides the skip: " + tagChecks);
    assertTrue(log.contains("already exists"), log.text());
    assertEquals(first.digest() + "\n", Files.readString(spec.output.resolve("image.digest")));
    assertEquals(first.digest(), BuiltImage.readFrom(spec.output).digest());
  }

  @Test
  void forcedRebuildOfUnchangedInputsUploadsNoBlob() throws IOException {
    ImageSpecs spec = hubProject("hub/forced");
    BuiltImage first = build(spec, new CapturingLog());
    spec.force = true;
    long mark = registry.mark();
    CapturingLog log = new CapturingLog();
    BuiltImage again = build(spec, log);
    assertFalse(again.reusedExisting());
    assertEquals(first.digest(), again.digest());
    assertEquals(List.of(), registry.blobUploadsSince(mark));
    assertTrue(log.contains("already present"), log.text());
  }

  @Test
  void oneChangedNotebookUploadsOneLayerPlusConfig() throws IOException {
    ImageSpecs spec = hubProject("hub/change");
    BuiltImage first = build(spec, new CapturingLog());
    Files.writeString(project.resolve("notebooks/welcome.ipynb"), "{\"cells\": [1]}\n");

    long mark = registry.mark();
    CapturingLog log = new CapturingLog();
    BuiltImage second = build(spec, log);
    assertNotEquals(first.digest(), second.digest());
    assertNotEquals(first.hashTag(), second.hashTag());

    ManifestLayers manifest = new ImageReader(registry.api(), repo(second), second.digest()).manifest();
    Set<String> expected = Set.of(manifest.layers().get(3).digest(), manifest.config().digest());
    assertEquals(expected, new HashSet<>(registry.blobUploadsSince(mark)), "only the notebooks layer and the config");
    assertEquals(1, registry.manifestPutsSince(mark).stream().filter(m -> m.endsWith(":" + second.hashTag())).count());
    assertTrue(log.contains("layer 'notebooks -> /home/jovyan/notebooks': uploaded"), log.text());
    assertTrue(log.contains("layer 'jupyter_server_config.py -> /etc/jupyter/jupyter_server_config.py': already present"),
        log.text());
  }

  @Test
  void outputsNameReferenceDigestTagsBaseAndInputHash() throws IOException {
    ImageSpecs spec = hubProject("hub/outputs");
    spec.to = registry.host() + "/hub/outputs:2024.1";
    spec.tags = List.of("staging");
    BuiltImage image = build(spec, new CapturingLog());
    BuiltImage read = BuiltImage.readFrom(spec.output);
    assertEquals(image, read);
    assertEquals(registry.host() + "/hub/outputs", read.repository());
    assertEquals(List.of(image.hashTag(), "2024.1", "staging"), read.tags());
    assertEquals(baseDigest, read.baseDigest());
    assertEquals(64, read.inputHash().length());
    for (String tag : read.tags()) {
      assertEquals(Optional.of(image.digest()), registry.api().manifestDigest("hub/outputs", tag), tag);
    }
  }

  @Test
  void unpinnedBaseIsWarnedAndItsDigestRecorded() throws IOException {
    CapturingLog log = new CapturingLog();
    BuiltImage image = build(hubProject("hub/unpinned"), log);
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("not pinned by digest")), log.text());
    assertEquals(baseDigest, image.baseDigest());

    ImageSpecs pinned = hubProject("hub/pinned");
    pinned.from = registry.host() + "/base/notebook@" + baseDigest;
    CapturingLog quiet = new CapturingLog();
    build(pinned, quiet);
    assertFalse(quiet.contains("not pinned"), quiet.text());
  }

  @Test
  void withoutTargetWritesALoadableTarballReproducibly(@TempDir Path otherCache) throws IOException {
    ImageSpecs spec = hubProject("unused");
    spec.to = null;
    BuiltImage image = build(spec, new CapturingLog());
    Path tar = spec.output.resolve("image.tar");
    assertTrue(Files.size(tar) > 0);
    assertFalse(image.pushed());
    assertEquals(tar.toString(), image.tarball());
    assertEquals(SingleUserImage.LOCAL_REPOSITORY, image.repository());
    String manifest = tarEntry(tar, "manifest.json");
    assertTrue(manifest.contains("\"RepoTags\":[\"" + SingleUserImage.LOCAL_REPOSITORY + ":" + image.hashTag() + "\"]"),
        "docker load names the image: " + manifest);

    ImageSpecs again = hubProject("unused");
    again.to = null;
    again.cache = otherCache;
    again.output = otherCache.resolve("out");
    assertEquals(image.digest(), build(again, new CapturingLog()).digest());
  }

  private static String tarEntry(Path tar, String name) throws IOException {
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(name)) {
          return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(name + " not in " + tar);
  }

  @Test
  void pushRequiresCredentialsOfABasicAuthRegistry() throws IOException {
    try (LocalRegistry secured = LocalRegistry.startWithBasicAuth("ci", "s3cret-Passw0rd")) {
      ImageSpecs spec = hubProject("hub/auth");
      spec.from = SingleUserImage.SCRATCH;
      spec.to = secured.host() + "/hub/auth";
      spec.insecure = Set.of(secured.host());

      CapturingLog denied = new CapturingLog();
      DataHubException e = assertThrows(DataHubException.class,
          () -> new SingleUserImage(RegistryCredential.Lookup.none(), denied).build(spec.build()));
      // the fix is data (the Maven layer words it as a <server> of settings.xml); the core's own words name the host
      assertTrue(e.fixes().contains(Fix.credentials(secured.host(), "a username/password that may push"))
          || e.fixes().contains(Fix.credentials(secured.host(), "your username/password")), e.getMessage());
      assertTrue(e.getMessage().contains("for '" + secured.host() + "' to the build's credentials"), e.getMessage());

      CapturingLog log = new CapturingLog();
      RegistryCredential.Lookup lookup = host -> host.equals(secured.host())
          ? Optional.of(new RegistryCredential("ci", "s3cret-Passw0rd")) : Optional.empty();
      BuiltImage image = new SingleUserImage(lookup, log).build(spec.build());
      assertEquals(Optional.of(image.digest()), secured.api().manifestDigest("hub/auth", image.hashTag()));
      assertFalse(log.text().contains("s3cret-Passw0rd"));
      assertFalse(String.valueOf(lookup.forRegistry(secured.host())).contains("s3cret"), "toString hides the password");
    }
  }

  // ---- bad input: one line naming the fix, nothing pushed ----

  private void assertRefusedWithoutPush(ImageSpecs spec, String... fragments) throws IOException {
    long mark = registry.mark();
    DataHubException e = assertThrows(DataHubException.class, () -> build(spec, new CapturingLog()));
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing in: " + e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(" — "), "names the fix: " + e.getMessage());
    assertEquals(List.of(), registry.blobUploadsSince(mark));
    assertEquals(List.of(), registry.manifestPutsSince(mark));
  }

  @Test
  void missingBaseImage() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.from = registry.host() + "/base/nothing:1";
    assertRefusedWithoutPush(spec, "base image", "not found", "<from>");
  }

  @Test
  void unauthorizedBaseImage() throws IOException {
    try (LocalRegistry secured = LocalRegistry.startWithBasicAuth("ci", "another-secret")) {
      ImageSpecs spec = hubProject("hub/bad");
      spec.from = secured.host() + "/base/notebook:1";
      spec.insecure = Set.of(registry.host(), secured.host());
      assertRefusedWithoutPush(spec, "refused access", "for '" + secured.host() + "' to the build's credentials");
    }
  }

  @Test
  void unreachableRegistry() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.to = "127.0.0.1:1/hub/bad";
    spec.insecure = Set.of(registry.host(), "127.0.0.1:1");
    assertRefusedWithoutPush(spec, "127.0.0.1:1", "unreachable");
  }

  @Test
  void httpRegistryNotListedAsInsecureFailsAtOnce() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.insecure = Set.of();
    long start = System.nanoTime();
    assertRefusedWithoutPush(spec, "plain HTTP", "<allowInsecureRegistries>");
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "does not wait out Jib's retries");
  }

  @Test
  void malformedReference() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.to = registry.host() + "/Hub/UPPER CASE";
    assertRefusedWithoutPush(spec, "<to>", "not a valid image reference");
    ImageSpecs from = hubProject("hub/bad");
    from.from = "::nope";
    assertRefusedWithoutPush(from, "<from>", "not a valid image reference");
  }

  @Test
  void missingContentDirectory() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.content("no-such-dir", "/srv/x");
    assertRefusedWithoutPush(spec, "no-such-dir", "does not exist");
  }

  @Test
  void contentEscapingTheProject() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.content("../outside", "/srv/x");
    assertRefusedWithoutPush(spec, "outside the project");
    Path link = project.resolve("linked");
    Files.createSymbolicLink(link, Path.of("/etc"));
    ImageSpecs linked = hubProject("hub/bad");
    linked.content("linked", "/srv/etc");
    assertRefusedWithoutPush(linked, "outside the project");
  }

  @Test
  void conflictingTargets() throws IOException {
    ImageSpecs spec = hubProject("hub/bad");
    spec.content("jupyter_server_config.py", "/home/jovyan/notebooks/welcome.ipynb");
    assertRefusedWithoutPush(spec, "/home/jovyan/notebooks/welcome.ipynb", "two content mappings");
  }
}
