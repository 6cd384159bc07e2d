package dev.weir.datapath.kernel;

/** The kernel's rule for map and program names (bpf_obj_name_cpy): 15 characters of [A-Za-z0-9_.]. */
final class ObjectNames {
    static final int MAX_LENGTH = BpfAttr.OBJ_NAME_LEN - 1;

    private ObjectNames() {}

    static String check(String name) {
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("name '" + name + "' is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.';
            if (!allowed) {
                throw new IllegalArgumentException("name '" + name + "' has '" + c + "'; the kernel allows only letters, digits, '_' and '.'");
            }
        }
        return name;
    }
}
