package dev.datahub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A one-line message whose settings are {@link Fix} values: the {@code {}} of the template stand for the parts, in
 * order, each a {@link Fix} (worded by the front end) or other {@link Words}. {@link #toString()} is the neutral
 * wording.
 */
public record Words(String template, List<Object> parts) {

  public Words {
    Objects.requireNonNull(template);
    parts = List.copyOf(parts);
    for (Object part : parts) {
      if (!(part instanceof Fix) && !(part instanceof Words)) {
        throw new IllegalArgumentException("a part is a Fix or Words, not " + part);
      }
    }
  }

  public static Words of(String template, Object... parts) {
    return new Words(template, List.of(parts));
  }

  /** The parts joined by {@code separator}, as one message. */
  public static Words join(String separator, List<Words> all) {
    return new Words(String.join(separator, all.stream().map(w -> "{}").toList()), List.copyOf(all));
  }

  /**
   * The message in the words of {@code wording}. The parts stand in the <em>last</em> {@code {}} of the template, so
   * text pasted in before them (a registry's or Helm's own message, which may hold a literal {@code {}}) stays as it is.
   */
  public String in(Wording wording) {
    List<Integer> at = new ArrayList<>();
    for (int i = template.indexOf("{}"); i >= 0; i = template.indexOf("{}", i + 2)) {
      at.add(i);
    }
    List<Integer> slots = at.subList(Math.max(0, at.size() - parts.size()), at.size());
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int k = 0; k < slots.size(); k++) {
      Object part = parts.get(parts.size() - slots.size() + k);
      out.append(template, from, slots.get(k)).append(part instanceof Fix f ? wording.name(f) : ((Words) part).in(wording));
      from = slots.get(k) + 2;
    }
    return out.append(template.substring(from)).toString();
  }

  /** Every fix named in the message, nested ones too. */
  public List<Fix> fixes() {
    List<Fix> out = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Fix f) {
        out.add(f);
      } else {
        out.addAll(((Words) part).fixes());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return in(Wording.NEUTRAL);
  }
}
