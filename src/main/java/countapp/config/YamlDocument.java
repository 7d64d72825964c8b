package countapp.config;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * The config file read as YAML: its data, and its node tree (which knows the line of every key).
 *
 * <p>A file that is not YAML is described by line, column, the setting on that line and the kind of
 * problem, never by the text there. SnakeYAML's own messages quote the offending line, and its problems
 * quote the offending characters ("found undefined alias Secr3t" for {@code redis_password: *Secr3t}), so
 * a typo next to a password would put the password into {@code /status}, the dashboard and every log.
 * Its problems are therefore translated from a fixed list of phrases, and nothing of the file is kept
 * but the name of a known setting.
 */
final class YamlDocument {
    /** SnakeYAML's line breaks, so that its line numbers index these lines. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u0085\u2028\u2029]");
    private static final Pattern KEY = Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][\\w.-]*)\\s*:");
    private static final String DEFAULT_PROBLEM = "text that cannot be read as YAML here";
    /**
     * Fragments of SnakeYAML's problems (and their contexts, "while scanning an alias"), and what each means
     * in words that quote nothing. Checked in this order; the first fragment found wins.
     */
    private static final String[][] PROBLEMS = {
        {"(TAB)", "a tab, which YAML does not allow for indentation; indent with spaces"},
        {"directive", "a malformed directive (a line that starts with %)"},
        {"incompatible YAML document", "a malformed directive (a line that starts with %)"},
        {"cannot start any token", "a character that cannot start a token; put a value that starts with @, `, %, & or * in quotes"},
        {"undefined alias", "a value that starts with * (an alias); put the value in quotes"},
        {"scanning an alias", "a value that starts with * (an alias); put the value in quotes"},
        {"scanning an anchor", "a value that starts with & (an anchor); put the value in quotes"},
        {"tag", "a value that starts with ! (a tag); put the value in quotes"},
        {"expected URI", "a value that starts with ! (a tag); put the value in quotes"},
        {"mapping values are not allowed", "a \": \" where no key may start; check the indentation, or put a value holding \": \" in quotes"},
        {"could not find expected ':'", "a line without \"key: value\"; check the indentation and the colon"},
        {"mapping keys are not allowed", "a \"?\" where no key may start"},
        {"sequence entries are not allowed", "a list entry (\"- \") where none may start; check the indentation"},
        {"expected <block end>", "an indentation that does not fit the lines above"},
        {"expected ',' or ']'", "a [list] that is not closed or lacks a comma"},
        {"expected ',' or '}'", "a {mapping} that is not closed or lacks a comma"},
        {"expected the node content", "a missing value"},
        {"unexpected end of stream", "the file ends inside a quoted value"},
        {"unexpected document separator", "a document separator (---) inside a quoted value"},
        {"escape", "an unknown escape sequence in a double-quoted value"},
        {"block scalar", "a malformed | or > block indicator"},
        {"expected a comment or a line break", "text where only a comment or the end of the line may follow"},
        {"document", "more than one document (---); give one mapping of settings"},
        {"duplicate key", "a key given twice"},
        {"special characters are not allowed", "a control character, which YAML does not allow"},
        {"unacceptable code point", "a control character, which YAML does not allow"},
        {"exceeds the limit", "a file too large to be a config"},
        {"Number of aliases", "too many aliases"},
        {"Nesting Depth", "nesting too deep"},
        {"ecursive", "a value that contains itself"},
        {"unacceptable key", "a key that is a list or a mapping"},
        {"Keys must be scalars", "a key that is a list or a mapping"},
        {"timestamp", "a malformed !!timestamp"},
        {"while constructing", "a value that does not fit its !!tag or << merge"},
    };

    private final Node root;
    private final Object data;

    private YamlDocument(Node root, Object data) {
        this.root = root;
        this.data = data;
    }

    /** The root node, or null for a document without content. */
    Node root() {
        return root;
    }

    /** The data, as SnakeYAML's safe constructor builds it (maps, lists, strings, numbers, …). */
    Object data() {
        return data;
    }

    /**
     * Reads {@code text}; a file that is not YAML is refused with one problem that names its line (and
     * column, and the setting on that line when it is one of {@code keyNames}) and its kind, nothing else.
     */
    static YamlDocument read(String text, Set<String> keyNames) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        // A key given twice is refused rather than the last one silently winning (SnakeYAML's default, with a
        // warning on stderr that quotes the key, which may be a value that lost its line break).
        options.setAllowDuplicateKeys(false);
        MarkingConstructor constructor = new MarkingConstructor(options);
        try {
            Object data = new Yaml(constructor).load(text);
            return new YamlDocument(constructor.root, data);
        } catch (MarkedYAMLException e) {
            boolean problem = e.getProblemMark() != null;
            throw new ConfigException(where(text, problem ? e.getProblemMark() : e.getContextMark(), keyNames)
                    + "not valid YAML: " + phrase(e.getProblem(), e.getContext()));
        } catch (UnreadableValue e) {
            throw new ConfigException(where(text, e.mark, keyNames)
                    + "not valid YAML: a value that does not fit its !!tag; remove the tag or put the value in quotes");
        } catch (ReaderException e) {
            int[] at = lineAndColumn(text, e.getPosition());
            throw new ConfigException("line " + at[0] + ", column " + at[1] + keyOf(text, at[0] - 1, keyNames)
                    + ": not valid YAML: " + phrase(e.getMessage(), null));
        } catch (YAMLException e) {
            throw new ConfigException("not valid YAML: " + phrase(e.getMessage(), null));
        }
    }

    private static String where(String text, Mark mark, Set<String> keyNames) {
        if (mark == null) {
            return "";
        }
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + keyOf(text, mark.getLine(), keyNames)
                + ": ";
    }

    /** " (key NAME)" when line {@code index} (0-based) starts with a known setting's name, else "". */
    static String keyOf(String text, int index, Set<String> keyNames) {
        String[] lines = LINE_BREAK.split(text, -1);
        if (index < 0 || index >= lines.length) {
            return "";
        }
        Matcher m = KEY.matcher(lines[index]);
        // Only a known name: whatever else starts the line may be a value that lost its key.
        return m.find() && keyNames.contains(m.group(1)) ? " (key " + m.group(1) + ")" : "";
    }

    /** The fixed phrase for a SnakeYAML problem and its context; never any of their own text. */
    static String phrase(String problem, String context) {
        String text = problem + " / " + context;
        for (String[] known : PROBLEMS) {
            if (text.contains(known[0])) {
                return known[1];
            }
        }
        return DEFAULT_PROBLEM;
    }

    /** 1-based line and column of code point {@code position}, counting line breaks as SnakeYAML does. */
    static int[] lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int i = 0; i < text.length() && index < position; index++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean crlf = c == '\r' && i < text.length() && text.charAt(i) == '\n';
            if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || (c == '\r' && !crlf)) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /**
     * SnakeYAML's safe constructor, which also keeps the root node and turns a value that fails to construct
     * ({@code !!float abc} throws NumberFormatException, quoting the value) into one that knows its place.
     */
    private static final class MarkingConstructor extends SafeConstructor {
        private Node root;

        MarkingConstructor(LoaderOptions options) {
            super(options);
        }

        @Override
        protected Object constructObject(Node node) {
            if (root == null) {
                root = node; // the document's node is constructed first
            }
            try {
                return super.constructObject(node);
            } catch (YAMLException | UnreadableValue e) {
                throw e;
            } catch (RuntimeException e) {
                throw new UnreadableValue(node.getStartMark());
            }
        }
    }

    /** A value SnakeYAML could not construct; its own exception (and message) are dropped on purpose. */
    private static final class UnreadableValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Mark mark;

        UnreadableValue(Mark mark) {
            super(null, null, false, false);
            this.mark = mark;
        }
    }
}
