using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace DailyPapers.Data;

/// <summary>A row of data_protection_keys (migration 0013): one Data Protection key as its XML.</summary>
public sealed class DataProtectionKey
{
    public string Name { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// The keys that sign cookies, forms and mail links, kept in the database rather than as files in {DataDir}/keys, so
/// every instance on the database signs and reads with the same ring: a cookie or an unsubscribe link made by one is
/// good on all. Keys an older version wrote to {DataDir}/keys are copied in at the first read, so sessions and mailed
/// links made before the upgrade keep working; the files stay (a downgrade still finds them). The same code on both
/// engines; Data Protection calls it rarely (at start, then about daily), so it is synchronous, as the interface is.
/// </summary>
public sealed class DatabaseKeys(IServiceScopeFactory scopes, string filesFolder) : IXmlRepository
{
    volatile bool imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // Until it has worked once (a read before the schema is there fails, and is tried again next time).
        if (!imported)
        {
            ImportFiles(db);
            imported = true;
        }
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Name).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        Store(scope.ServiceProvider.GetRequiredService<AppDb>(), friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }

    // Two instances importing the same folder, or the same key twice, store it once.
    static void Store(AppDb db, string name, string xml) =>
        db.Database.ExecuteSql($"INSERT INTO data_protection_keys (name, xml) VALUES ({name}, {xml}) ON CONFLICT (name) DO NOTHING");

    void ImportFiles(AppDb db)
    {
        if (!Directory.Exists(filesFolder)) return;
        // The names FileSystemXmlRepository gave them: key-{id}.xml.
        foreach (var file in Directory.EnumerateFiles(filesFolder, "*.xml"))
            Store(db, Path.GetFileNameWithoutExtension(file), XElement.Load(file).ToString(SaveOptions.DisableFormatting));
    }
}
