package dev.weir.datapath.kernel;

/** The bpf(2) commands the bridge issues (enum bpf_cmd). */
public enum BpfCommand {
    MAP_CREATE(0), MAP_LOOKUP_ELEM(1), MAP_UPDATE_ELEM(2), MAP_DELETE_ELEM(3), MAP_GET_NEXT_KEY(4),
    PROG_LOAD(5), OBJ_PIN(6), OBJ_GET(7), PROG_TEST_RUN(10), OBJ_GET_INFO_BY_FD(15), PROG_QUERY(16),
    MAP_LOOKUP_BATCH(24), LINK_CREATE(28), LINK_UPDATE(29), LINK_GET_FD_BY_ID(30), LINK_GET_NEXT_ID(31),
    LINK_DETACH(34);

    public final int number;

    BpfCommand(int number) {
        this.number = number;
    }

    /** The name in kernel headers and strace output: BPF_MAP_CREATE. */
    public String kernelName() {
        return "BPF_" + name();
    }
}
