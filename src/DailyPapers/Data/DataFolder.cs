using System.Runtime.InteropServices;

namespace DailyPapers.Data;

public sealed class DataFolderException(string message) : Exception(message);

/// <summary>
/// The state folder holds password hashes, addresses, token hashes and the keys that sign cookies and mail links:
/// only the account that runs the hub may read it. At every start the folder is made (or made again) mode 0700 and
/// the files in it 0600, and the process creates everything else 0600 too (umask 077), whatever the shell's umask.
/// </summary>
public static class DataFolder
{
    const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode OthersAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path); // ACLs inherit from the user's profile folder; nothing portable to enforce
            return;
        }
        SetUmask(0b000_111_111); // 077: nothing this process creates is readable by group or others
        Directory.CreateDirectory(path, Owner);
        Restrict(path, Owner);
        foreach (var folder in new[] { path, Path.Combine(path, "keys") }.Where(Directory.Exists))
        {
            if (folder != path) Restrict(folder, Owner);
            foreach (var file in Directory.EnumerateFiles(folder)) Restrict(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    static void Restrict(string path, UnixFileMode wanted)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersAny) == 0) return;
        try { File.SetUnixFileMode(path, mode & ~OthersAny | (wanted & mode)); }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new DataFolderException($"{path} can be read by other users (mode {Octal(mode)}) and this account cannot change that: " +
                                          $"run `chmod {(wanted == Owner ? "700" : "600")} {path}` as its owner, or choose another --data folder");
        }
    }

    static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    // DllImport rather than LibraryImport: a blittable call needs no generated marshalling, nor unsafe code.
    [DllImport("libc", EntryPoint = "umask")]
    static extern uint SetUmask(uint mask);
}
