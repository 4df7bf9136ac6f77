package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.RegistryCredential;
import dev.datahub.log.Redactor;
import java.util.List;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Reads a {@code <server>} from settings.xml, decrypted with Maven's SettingsDecrypter. Every
 * secret read is registered with the redactor, so it can never reach a log line.
 */
final class SettingsCredentials {

  /** username/password of one server; toString never shows the password. */
  record ServerCredentials(String serverId, String username, String password) {
    @Override
    public String toString() {
      return "ServerCredentials[" + serverId + ", user=" + username + "]";
    }
  }

  private final Settings settings;
  private final SettingsDecrypter decrypter;
  private final Redactor redactor;

  SettingsCredentials(Settings settings, SettingsDecrypter decrypter, Redactor redactor) {
    this.settings = settings;
    this.decrypter = decrypter;
    this.redactor = redactor;
  }

  Optional<ServerCredentials> find(String serverId) {
    if (settings == null || serverId == null) {
      return Optional.empty();
    }
    Server server = settings.getServer(serverId);
    if (server == null) {
      return Optional.empty();
    }
    SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new DataHubException("cannot decrypt the password of <server> '" + serverId + "' in settings.xml: "
            + redactor.redact(problem.getMessage()) + " — check ~/.m2/settings-security.xml (mvn --encrypt-master-password)");
      }
    }
    Server decrypted = result.getServer() != null ? result.getServer() : server;
    redactor.register(decrypted.getPassword());
    return Optional.of(new ServerCredentials(serverId, decrypted.getUsername(), decrypted.getPassword()));
  }

  /** Registry credentials: the {@code <server>} whose id is the registry host; Docker Hub also answers to docker.io. */
  RegistryCredential.Lookup registries() {
    return host -> {
      List<String> ids = host.equals("registry-1.docker.io")
          ? List.of(host, "docker.io", "index.docker.io") : List.of(host);
      for (String id : ids) {
        Optional<RegistryCredential> found = find(id)
            .filter(s -> s.username() != null && s.password() != null)
            .map(s -> new RegistryCredential(s.username(), s.password()));
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    };
  }
}
