namespace Xen.Conformance;

/// <summary>
/// Granting as the granting domain's kernel does it (the suite cannot write a Linux guest's grant table from user
/// space, so on Linux this is <c>/dev/xen/gntalloc</c>; in the simulator the guest writes its entries as Linux does).
/// </summary>
public interface IGranter
{
    /// <summary>Grants a fresh page to <paramref name="domain"/> and returns its reference.</summary>
    uint Grant(ushort domain, bool readOnly);

    /// <summary>
    /// Ends access to <paramref name="reference"/> as Linux's <c>gnttab_end_foreign_access</c> does: only while no
    /// peer has it mapped (Xen's GTF_reading/GTF_writing clear); otherwise the kernel keeps the page for later.
    /// </summary>
    void EndAccess(uint reference);
}
