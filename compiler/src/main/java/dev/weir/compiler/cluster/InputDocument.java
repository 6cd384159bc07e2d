package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One document of an input file as a Jackson tree, with the keys it gives twice. A map with a duplicate key
 * keeps the first value, but the object holding it is refused: which value was meant is unknown (kubectl
 * refuses such input too).
 *
 * @param number the document's number in its file, from 1
 * @param content the document, or null when it is empty (comments only, a trailing {@code ---})
 */
record InputDocument(int number, JsonNode content, List<DuplicateKey> duplicateKeys) {

    InputDocument {
        duplicateKeys = List.copyOf(duplicateKeys);
    }

    /**
     * @param map where the map holding the key is
     * @param line the line of the second occurrence, from 1
     */
    record DuplicateKey(FieldPath map, String key, int line) {

        FieldPath field() {
            return map.field(key);
        }

        String problem() {
            return "key \"" + key + "\" is given twice in this map (line " + line + ")";
        }
    }
}
