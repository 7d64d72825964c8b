package countapp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Finds keys that are not settings, on the node tree, so each is reported with its line. An unknown key is
 * named only when it is a likely misspelling of a known one ({@code databse}): anything else in a key's
 * place may be a value that lost its key (and its newline), and must not be printed.
 */
final class KeyCheck {
    /** Edits that still make a name "a misspelling": close enough to help, too few to hide a secret. */
    private static final int MAX_TYPO_EDITS = 2;

    private KeyCheck() {}

    /** Reports unknown keys at the top level, under {@code limits}, under {@code auth} and in each auth key. */
    static void unknownKeys(Node root, Set<String> keys, Set<String> limitKeys, List<String> problems) {
        for (NodeTuple t : tuples(root, keys, null, problems)) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            if ("limits".equals(name)) {
                tuples(t.getValueNode(), limitKeys, "limits", problems);
            } else if ("windows".equals(name)) {
                tuples(t.getValueNode(), ConfigLoader.WINDOW_KEYS, "windows", problems);
            } else if ("auth".equals(name)) {
                for (NodeTuple a : tuples(t.getValueNode(), AuthSection.KEYS, "auth", problems)) {
                    if ("keys".equals(((ScalarNode) a.getKeyNode()).getValue()) && a.getValueNode() instanceof SequenceNode) {
                        List<Node> entries = ((SequenceNode) a.getValueNode()).getValue();
                        for (int i = 0; i < entries.size(); i++) {
                            tuples(entries.get(i), AuthSection.KEY_KEYS, "auth.keys[" + i + "]", problems);
                        }
                    }
                }
            }
        }
    }

    /** The tuples of {@code node} (if a mapping) with a known key; reports the others. */
    private static List<NodeTuple> tuples(Node node, Set<String> known, String section, List<String> problems) {
        List<NodeTuple> found = new ArrayList<>();
        if (!(node instanceof MappingNode)) {
            return found; // not a mapping: the value check reports it
        }
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node key = t.getKeyNode();
            if (Tag.MERGE.equals(key.getTag())) {
                continue; // "<<: *defaults": the constructor has merged its keys in already
            }
            String name = key instanceof ScalarNode ? ((ScalarNode) key).getValue() : null;
            if (name != null && known.contains(name)) {
                found.add(t);
                continue;
            }
            String suggestion = name == null ? null : closest(name, known);
            problems.add("line " + (key.getStartMark().getLine() + 1) + ": " + (section == null ? "" : section + ": ")
                    + (suggestion == null ? "unknown key (known keys: " + new TreeSet<>(known) + ")"
                            : "unknown key \"" + name + "\" (did you mean " + suggestion + "?)"));
        }
        return found;
    }

    /** The known name {@code name} is a misspelling of, or null when it is not close to any. */
    static String closest(String name, Set<String> known) {
        String best = null;
        int bestEdits = Integer.MAX_VALUE;
        for (String k : new TreeSet<>(known)) {
            int edits = edits(name, k);
            int allowed = k.length() <= 4 ? 1 : MAX_TYPO_EDITS;
            if (edits <= allowed && edits < bestEdits) {
                best = k;
                bestEdits = edits;
            }
        }
        return best;
    }

    /** Levenshtein distance, giving up (returning a large number) once the lengths alone differ too much. */
    private static int edits(String a, String b) {
        if (Math.abs(a.length() - b.length()) > MAX_TYPO_EDITS) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
