package dev.datahub.image;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The registry clients of one build or plan, each opened (and probed) once per host. Which hosts may go without TLS
 * verification is fixed when it is made.
 */
final class Registries implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Set<String> insecureHosts;
  private final RegistryCredential.Lookup credentials;
  private final Map<String, RegistryApi> open = new HashMap<>();

  Registries(Set<String> insecureHosts, RegistryCredential.Lookup credentials) {
    this.insecureHosts = Set.copyOf(insecureHosts);
    this.credentials = credentials;
  }

  RegistryApi get(String host) {
    return open.computeIfAbsent(host, h -> RegistryApi.connect(h, insecureHosts, credentials.forRegistry(h), TIMEOUT));
  }

  /** Whether Jib runs in its insecure mode for a build from {@code base} to {@code target}; see the rule below. */
  boolean jibInsecureMode(Optional<ImageReference> base, Optional<ImageReference> target) {
    List<String> touched = new ArrayList<>();
    base.ifPresent(b -> touched.add(b.getRegistry()));
    target.ifPresent(t -> touched.add(t.getRegistry()));
    return jibInsecureMode(touched, h -> get(h).plainHttp(), insecureHosts);
  }

  /**
   * Whether Jib runs in its insecure mode. That mode is global to a build: Jib then accepts an unverifiable
   * certificate, or falls back to plain HTTP, for <em>every</em> registry it talks to, and
   * {@link CredentialsOverHttp} lets credentials follow. So it is switched on only when a registry of this build
   * really needs it (listed, and its probe found plain HTTP or a certificate that does not verify), and only when
   * every registry the build touches is listed; otherwise a registry that is not listed would lose its TLS
   * verification during this build, and the build fails here instead, before anything is pushed.
   */
  static boolean jibInsecureMode(List<String> touched, Predicate<String> relaxedByProbe, Set<String> listed) {
    List<String> relaxed = touched.stream().distinct().filter(relaxedByProbe).toList();
    if (relaxed.isEmpty()) {
      return false;
    }
    List<String> verified = touched.stream().distinct().filter(h -> !listed.contains(h)).toList();
    if (!verified.isEmpty()) {
      throw new DataHubException("this build reaches " + String.join(", ", relaxed) + " without TLS verification "
          + "({}) and " + String.join(", ", verified) + " with it, but Jib relaxes TLS for "
          + "every registry of a build at once — give " + String.join(", ", relaxed) + " a certificate the JVM "
          + "trusts, or also list " + String.join(", ", verified) + " if it may lose verification too",
          Fix.element("allowInsecureRegistries"));
    }
    return true;
  }

  @Override
  public void close() {
    open.values().forEach(RegistryApi::close);
    open.clear();
  }
}
