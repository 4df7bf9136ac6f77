package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.datahub.DataHubException;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code allowInsecureRegistries} is strictly per host: listing one registry must not relax TLS for another registry
 * of the same build. Two real registries on loopback: one plain HTTP (listed), one HTTPS with a self-signed certificate
 * (not listed) — a registry whose certificate this JVM cannot verify.
 */
class InsecureRegistriesTest {

  static LocalRegistry plain;
  static LocalRegistry selfSigned;
  static String baseDigest;

  @TempDir Path project;

  @BeforeAll
  static void startRegistries(@TempDir Path dir) throws Exception {
    plain = LocalRegistry.start();
    selfSigned = LocalRegistry.startWithSelfSignedTls();
    // The base image is put there with Jib's own insecure mode: the registry under test is an unverifiable one.
    Path file = Files.writeString(dir.resolve("os-release"), "ID=tlsbase\n");
    baseDigest = Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/etc"))
        .containerize(Containerizer.to(RegistryImage.named(selfSigned.host() + "/base/notebook:1"))
            .setAllowInsecureRegistries(true))
        .getDigest().toString();
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    plain.close();
    selfSigned.close();
  }

  ImageSpecs spec(String from, String to) throws Exception {
    Files.writeString(project.resolve("welcome.txt"), "hello\n");
    ImageSpecs spec = new ImageSpecs(project);
    spec.from = from;
    spec.to = to;
    spec.insecure = Set.of(plain.host());
    spec.content("welcome.txt", "/home/jovyan/welcome.txt");
    return spec;
  }

  DataHubException refused(ImageSpecs spec) throws Exception {
    long mark = plain.mark();
    DataHubException e = assertThrows(DataHubException.class,
        () -> new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build()));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(List.of(), plain.manifestPutsSince(mark), "nothing was pushed");
    assertEquals(List.of(), plain.blobUploadsSince(mark), "nothing was pushed");
    return e;
  }

  @Test
  void aBasePinnedByDigestOnAnUnlistedRegistryKeepsTlsVerificationWhenAnotherRegistryIsListed() throws Exception {
    // On main the digest-pinned base was never probed, and Jib's global insecure mode (switched on because plain is
    // listed) pulled it over a certificate nobody verified.
    DataHubException e = refused(spec(selfSigned.host() + "/base/notebook@" + baseDigest, plain.host() + "/hub/user"));
    assertTrue(e.getMessage().startsWith("TLS to registry " + selfSigned.host() + " failed: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("— import its CA certificate into the Java truststore, or list it in "
        + "<allowInsecureRegistries>"), e.getMessage());
  }

  @Test
  void aTaggedBaseOnAnUnlistedRegistryIsRefusedToo() throws Exception {
    DataHubException e = refused(spec(selfSigned.host() + "/base/notebook:1", plain.host() + "/hub/user"));
    assertTrue(e.getMessage().startsWith("TLS to registry " + selfSigned.host() + " failed: "), e.getMessage());
  }

  @Test
  void anUnlistedTargetIsRefusedWhileTheListedBaseIsPlainHttp() throws Exception {
    // A base on the listed plain registry first.
    ImageSpecs base = spec(SingleUserImage.SCRATCH, plain.host() + "/base/plain:1");
    String plainBase = new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(base.build())
        .digest();
    DataHubException e = refused(spec(plain.host() + "/base/plain@" + plainBase, selfSigned.host() + "/hub/user"));
    assertTrue(e.getMessage().startsWith("TLS to registry " + selfSigned.host() + " failed: "), e.getMessage());
  }

  @Test
  void aBuildWhoseRegistriesAreAllListedStillWorks() throws Exception {
    ImageSpecs spec = spec(SingleUserImage.SCRATCH, plain.host() + "/hub/listed");
    BuiltImage built = new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build());
    assertTrue(plain.api().manifestDigest("hub/listed", built.hashTag()).isPresent());
  }

  @Test
  void aListedRegistryWithACertificateThatDoesNotVerifyIsReadOverTlsWithoutVerification() throws Exception {
    RegistryApi listed = RegistryApi.connect(selfSigned.host(), Set.of(selfSigned.host()), java.util.Optional.empty(),
        java.time.Duration.ofSeconds(10));
    assertTrue(listed.plainHttp(), "relaxed by the probe: Jib's insecure mode is needed for it");
    assertEquals(java.util.Optional.of(baseDigest), listed.manifestDigest("base/notebook", "1"));
    DataHubException e = assertThrows(DataHubException.class, () -> RegistryApi.connect(selfSigned.host(),
        Set.of(plain.host()), java.util.Optional.empty(), java.time.Duration.ofSeconds(10)));
    assertTrue(e.getMessage().startsWith("TLS to registry " + selfSigned.host() + " failed: "), e.getMessage());
  }

  @Test
  void aBuildFromAListedRegistryWithACertificateThatDoesNotVerifyWorks() throws Exception {
    ImageSpecs spec = spec(selfSigned.host() + "/base/notebook:1", plain.host() + "/hub/from-tls");
    spec.insecure = Set.of(plain.host(), selfSigned.host());
    BuiltImage built = new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build());
    assertTrue(plain.api().manifestDigest("hub/from-tls", built.hashTag()).isPresent());
  }

  @Test
  void jibsGlobalInsecureModeOnlyWhenEveryRegistryOfTheBuildIsListed() {
    // What the probes found: "http-reg" answered only over plain HTTP (listed), "quay.io" over verified TLS.
    java.util.function.Predicate<String> relaxed = "http-reg:5000"::equals;
    assertFalse(SingleUserImage.jibInsecureMode(List.of("quay.io"), relaxed, Set.of()));
    assertFalse(SingleUserImage.jibInsecureMode(List.of("quay.io", "quay.io"), relaxed, Set.of("quay.io")),
        "listed but verified: no need to relax anything");
    assertTrue(SingleUserImage.jibInsecureMode(List.of("http-reg:5000"), relaxed, Set.of("http-reg:5000")));
    assertTrue(SingleUserImage.jibInsecureMode(List.of("quay.io", "http-reg:5000"), relaxed,
        Set.of("http-reg:5000", "quay.io")), "both listed: the operator accepted it for both");
    DataHubException e = assertThrows(DataHubException.class, () -> SingleUserImage.jibInsecureMode(
        List.of("quay.io", "http-reg:5000"), relaxed, Set.of("http-reg:5000")));
    assertEquals("this build reaches http-reg:5000 without TLS verification (<allowInsecureRegistries>) and quay.io "
        + "with it, but Jib relaxes TLS for every registry of a build at once — give http-reg:5000 a certificate the "
        + "JVM trusts, or also list quay.io if it may lose verification too", e.getMessage());
  }
}
