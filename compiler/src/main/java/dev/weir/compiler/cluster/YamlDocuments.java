package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * The documents of a YAML file, read one at a time and resolved as kubectl's reader (sigs.k8s.io/yaml over
 * go-yaml) resolves them: an alias stands for a copy of what its anchor names; merge keys ({@code <<: *x},
 * {@code <<: [*x, *y]}) add the keys the map does not give itself, earlier maps before later ones; plain
 * scalars get YAML 1.1 types ({@code true}, {@code yes}, {@code on}, numbers, {@code null}) while quoted ones
 * stay strings, and timestamps and sexagesimal numbers ({@code 1:20}) stay strings as go-yaml leaves them.
 * Duplicate keys are reported in the {@link InputDocument}, not resolved.
 *
 * <p>Memory grows with the largest document, not with the file. A document may hold up to
 * {@value #MAX_DOCUMENT_CODE_POINTS} characters (256 Mi, far more than SnakeYAML's default 3 MiB: a
 * {@code kubectl get -o yaml} List of a large cluster is one document). Alias bombs are refused as go-yaml
 * refuses them: when expanded aliases make up too much of what a document decodes to.
 */
final class YamlDocuments implements InputDocuments {

    static final int MAX_DOCUMENT_CODE_POINTS = 256 * 1024 * 1024;
    private static final int MAX_ALIASES_TO_COLLECTIONS = 1000;
    private static final int MAX_NESTING = 1000;

    private final Path file;
    private final Reader reader;
    private final Iterator<Node> nodes;
    private final ScalarValues scalars;
    private int number;

    private YamlDocuments(Path file, Reader reader) {
        var options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES_TO_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING);
        this.file = file;
        this.reader = reader;
        this.nodes = new Yaml(options).composeAll(reader).iterator();
        this.scalars = new ScalarValues(options);
    }

    /** Through Files, not File, so a path inside a jar (the CLI's bundled example) reads as well. */
    static YamlDocuments open(Path file) throws IOException {
        return new YamlDocuments(file, new UnicodeReader(Files.newInputStream(file)));
    }

    @Override
    public boolean hasNext() {
        try {
            return nodes.hasNext();
        } catch (YAMLException e) {
            throw invalid(number + 1, e);
        }
    }

    @Override
    public InputDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        number++;
        Node node;
        try {
            node = nodes.next();
        } catch (YAMLException e) {
            throw invalid(number, e);
        }
        var conversion = new Conversion();
        JsonNode content = conversion.convert(node);
        return new InputDocument(number, content.isNull() ? null : content, conversion.duplicates);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private String where(int document) {
        return file + " (document " + document + ")";
    }

    private ClusterLoadException invalid(int document, YAMLException e) {
        String message = e.getMessage().lines().findFirst().orElse("");
        if (e instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            message = (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem();
            if (marked.getProblemMark() != null) {
                message += " (line " + (marked.getProblemMark().getLine() + 1) + ", column "
                        + (marked.getProblemMark().getColumn() + 1) + ")";
            }
        }
        return new ClusterLoadException(where(document) + ": invalid YAML: " + message, e);
    }

    /** One document's node tree to a Jackson tree. */
    private final class Conversion {
        private final List<InputDocument.DuplicateKey> duplicates = new ArrayList<>();
        private final Deque<Object> path = new ArrayDeque<>();
        private final Set<Node> anchorsSeen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> enclosing = Collections.newSetFromMap(new IdentityHashMap<>());
        private long decoded;
        private long decodedFromAliases;
        private int aliasDepth;

        JsonNode convert(Node node) {
            boolean alias = node.getAnchor() != null && !anchorsSeen.add(node);
            if (alias) {
                aliasDepth++;
            }
            countDecoded(node);
            try {
                return switch (node) {
                    case ScalarNode scalar -> scalars.json(scalar);
                    case SequenceNode sequence -> enclosed(sequence, () -> list(sequence));
                    case MappingNode mapping -> enclosed(mapping, () -> map(mapping));
                    default -> throw new IllegalStateException("unknown YAML node " + node.getNodeId());
                };
            } finally {
                if (alias) {
                    aliasDepth--;
                }
            }
        }

        /** go-yaml's guard against alias bombs: expanded aliases may not dominate what a document decodes to. */
        private void countDecoded(Node node) {
            decoded++;
            if (aliasDepth > 0) {
                decodedFromAliases++;
            }
            if (decodedFromAliases > 100 && decoded > 1000 && (double) decodedFromAliases / decoded > allowedAliasRatio(decoded)) {
                throw new ClusterLoadException(where(number) + ": refused: the document's aliases expand to too much"
                        + " (line " + (node.getStartMark().getLine() + 1) + "; an alias bomb?)");
            }
        }

        /** As go-yaml: 99% of a small document may come from aliases, 10% of a huge one, linear between. */
        private static double allowedAliasRatio(long decoded) {
            if (decoded <= 400_000) return 0.99;
            if (decoded >= 4_000_000) return 0.10;
            return 0.99 + (0.10 - 0.99) * ((double) (decoded - 400_000) / (4_000_000 - 400_000));
        }

        private JsonNode enclosed(Node node, java.util.function.Supplier<JsonNode> conversion) {
            if (!enclosing.add(node)) {
                throw new ClusterLoadException(where(number) + ": refused: an alias at line "
                        + (node.getStartMark().getLine() + 1) + " names a map or list that contains it");
            }
            try {
                return conversion.get();
            } finally {
                enclosing.remove(node);
            }
        }

        private ArrayNode list(SequenceNode sequence) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                path.addLast(i);
                list.add(convert(items.get(i)));
                path.removeLast();
            }
            return list;
        }

        private ObjectNode map(MappingNode mapping) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            var merged = new ArrayList<Node>();
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode() instanceof ScalarNode key && key.getTag().equals(Tag.MERGE)) {
                    merged.add(entry.getValueNode());
                    continue;
                }
                String key = key(entry.getKeyNode());
                path.addLast(key);
                JsonNode value = convert(entry.getValueNode());
                path.removeLast();
                if (map.has(key)) {
                    duplicates.add(new InputDocument.DuplicateKey(new FieldPath(List.copyOf(path)), key,
                            entry.getKeyNode().getStartMark().getLine() + 1));
                } else {
                    map.set(key, value);
                }
            }
            for (Node source : merged) {
                merge(source, map);
            }
            return map;
        }

        /** The keys of {@code source} that {@code map} lacks; a list of maps merges in order, earlier ones first. */
        private void merge(Node source, ObjectNode map) {
            List<Node> sources = source instanceof SequenceNode sequence ? sequence.getValue() : List.of(source);
            for (Node each : sources) {
                if (!(each instanceof MappingNode)) {
                    throw new ClusterLoadException(where(number) + ": invalid YAML: a merge key (<<) must name a map"
                            + " or a list of maps (line " + (each.getStartMark().getLine() + 1) + ")");
                }
                JsonNode fields = convert(each);
                fields.properties().forEach(field -> {
                    if (!map.has(field.getKey())) {
                        map.set(field.getKey(), field.getValue());
                    }
                });
            }
        }

        /** JSON keys are strings: non-string scalars are written as sigs.k8s.io/yaml writes them. */
        private String key(Node key) {
            if (!(key instanceof ScalarNode scalar)) {
                throw new ClusterLoadException(where(number) + ": invalid YAML: a map key must be a string, not a "
                        + (key instanceof MappingNode ? "map" : "list") + " (line " + (key.getStartMark().getLine() + 1) + ")");
            }
            JsonNode value = scalars.json(scalar);
            return value.isTextual() ? value.textValue() : value.toString();
        }
    }

    /** SnakeYAML's YAML 1.1 scalar constructors (ints with 0x, 0o, _, ...), typed for Jackson. */
    private static final class ScalarValues extends SafeConstructor {

        ScalarValues(LoaderOptions options) {
            super(options);
        }

        JsonNode json(ScalarNode scalar) {
            Tag tag = scalar.getTag();
            String text = scalar.getValue();
            if (tag.equals(Tag.NULL)) {
                return JsonNodeFactory.instance.nullNode();
            }
            boolean number = tag.equals(Tag.INT) || tag.equals(Tag.FLOAT);
            if (!(tag.equals(Tag.BOOL) || number) || (number && text.contains(":"))) {
                return JsonNodeFactory.instance.textNode(text);
            }
            Object value;
            try {
                // Not constructObject: that remembers every node it built, for the whole stream.
                value = getConstructor(scalar).construct(scalar);
            } catch (RuntimeException e) {
                return JsonNodeFactory.instance.textNode(text); // e.g. "!!int abc": no number, so a string
            }
            return switch (value) {
                case Boolean bool -> JsonNodeFactory.instance.booleanNode(bool);
                case Integer integer -> JsonNodeFactory.instance.numberNode(integer);
                case Long integer -> JsonNodeFactory.instance.numberNode(integer);
                case BigInteger integer -> JsonNodeFactory.instance.numberNode(integer);
                case Double real -> JsonNodeFactory.instance.numberNode(real);
                default -> JsonNodeFactory.instance.textNode(text);
            };
        }
    }
}
