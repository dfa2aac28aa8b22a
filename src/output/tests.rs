use std::fs;
use std::path::Path;

use super::*;

fn site(files: &[(&str, &str)]) -> Rendered {
    let mut rendered = Rendered::default();
    for (name, text) in files {
        rendered
            .files
            .insert(name.to_string(), text.as_bytes().to_vec());
    }
    rendered
}

fn options_in(project: &Path) -> PublishOptions {
    PublishOptions {
        force: false,
        protected: Protected {
            folders: vec![
                ("content folder".into(), project.join("content")),
                ("theme folder".into(), project.join("themes/default")),
            ],
            project_root: Some(project.to_path_buf()),
        },
    }
}

/// A project folder with content and theme, as on an editor's machine.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("content/paths")).unwrap();
    fs::write(tmp.path().join("content/site.toml"), "name = 'x'").unwrap();
    fs::create_dir_all(tmp.path().join("themes/default/templates")).unwrap();
    fs::write(tmp.path().join("notes.txt"), "my notes").unwrap();
    tmp
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn rebuilds_replace_what_polku_wrote_and_keep_everything_else() {
    let p = project();
    let out = p.path().join("public");
    let options = options_in(p.path());
    publish(
        &out,
        &site(&[("fi/index.html", "v1"), ("fi/old/index.html", "old")]),
        &options,
    )
    .unwrap();
    assert!(out.join(MANIFEST).is_file());
    // Hosting files and a gh-pages checkout that the user keeps there.
    fs::write(out.join("CNAME"), "polut.example.fi").unwrap();
    fs::write(out.join(".nojekyll"), "").unwrap();
    fs::create_dir_all(out.join(".git/refs")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
    fs::create_dir_all(out.join(".well-known")).unwrap();
    fs::write(out.join(".well-known/security.txt"), "Contact: x").unwrap();
    fs::write(out.join("fi/extra.txt"), "user file inside a site folder").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", out.join("link")).unwrap();

    let done = publish(&out, &site(&[("fi/index.html", "v2")]), &options).unwrap();
    assert_eq!(read(out.join("fi/index.html")), "v2");
    assert!(!out.join("fi/old").exists(), "polku's stale page is gone");
    assert_eq!(read(out.join("CNAME")), "polut.example.fi");
    assert!(out.join(".nojekyll").is_file());
    assert_eq!(read(out.join(".git/HEAD")), "ref: refs/heads/gh-pages");
    assert!(out.join(".git/refs").is_dir());
    assert_eq!(read(out.join(".well-known/security.txt")), "Contact: x");
    assert_eq!(
        read(out.join("fi/extra.txt")),
        "user file inside a site folder"
    );
    #[cfg(unix)]
    assert_eq!(
        fs::read_link(out.join("link")).unwrap(),
        Path::new("/etc/hostname")
    );
    assert!(done.kept.contains(&".git".to_string()), "{:?}", done.kept);
    assert!(done.kept.contains(&"fi/extra.txt".to_string()));
    // The manifest lists only what polku wrote.
    let manifest = read(out.join(MANIFEST));
    assert!(manifest.contains("fi/index.html") && !manifest.contains("CNAME"));
    // Nothing left beside the output but the project's own files.
    assert_eq!(
        names(p.path()),
        ["content", "notes.txt", "public", "themes"]
    );
}

#[test]
fn a_foreign_folder_is_refused_untouched_and_force_moves_it_aside() {
    let p = project();
    let out = p.path().join("public");
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "gh-pages").unwrap();
    fs::write(out.join("CNAME"), "polut.example.fi").unwrap();
    fs::write(out.join("README.md"), "published by hand").unwrap();
    fs::write(out.join("index.html"), "an older site").unwrap();
    let rendered = site(&[("index.html", "new"), ("fi/index.html", "uusi")]);

    let err = publish(&out, &rendered, &options_in(p.path())).unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::NotOurs);
    assert!(
        err.message.contains("not written by polku"),
        "{}",
        err.message
    );
    assert!(err.hint.contains("--force"));
    assert_eq!(names(&out), [".git", "CNAME", "README.md", "index.html"]);
    assert_eq!(read(out.join("index.html")), "an older site");

    let force = PublishOptions {
        force: true,
        ..options_in(p.path())
    };
    let done = publish(&out, &rendered, &force).unwrap();
    assert_eq!(read(out.join("index.html")), "new");
    assert_eq!(
        read(out.join("CNAME")),
        "polut.example.fi",
        "hosting files stay"
    );
    assert_eq!(read(out.join(".git/HEAD")), "gh-pages");
    assert!(!out.join("README.md").exists());
    let backup = done.backup.expect("a backup folder");
    assert!(backup.starts_with(p.path()));
    assert_eq!(read(backup.join("README.md")), "published by hand");
    assert_eq!(read(backup.join("index.html")), "an older site");
    // From now on the folder is polku's: no --force needed.
    publish(&out, &rendered, &options_in(p.path())).unwrap();
    assert_eq!(read(out.join("CNAME")), "polut.example.fi");
}

#[test]
fn the_project_content_and_theme_are_never_the_output() {
    let p = project();
    let root = p.path();
    let cases = [
        root.join("content"),
        root.join("content/paths"),
        root.join("themes"),
        root.join("themes/default"),
        root.join("themes/default/templates/new"),
        root.to_path_buf(),
        root.join("public/.."),
        root.parent().unwrap().to_path_buf(),
        root.join("content/../themes/default"),
        std::path::PathBuf::from("/"),
    ];
    for force in [false, true] {
        let options = PublishOptions {
            force,
            ..options_in(root)
        };
        for out in &cases {
            let err = publish(out, &site(&[("index.html", "x")]), &options).unwrap_err();
            assert_eq!(err.kind, OutputErrorKind::Protected, "{}", out.display());
            assert!(err.hint.contains("even with --force"));
        }
    }
    assert_eq!(read(root.join("content/site.toml")), "name = 'x'");
    assert_eq!(read(root.join("notes.txt")), "my notes");
    assert_eq!(names(root), ["content", "notes.txt", "themes"]);
}

#[cfg(unix)]
#[test]
fn links_are_followed_to_folders_and_refused_otherwise() {
    use std::os::unix::fs::symlink;
    let p = project();
    let root = p.path();
    let options = options_in(root);
    // `public -> /var/www/site`: the folder behind the link is updated.
    let www = tempfile::tempdir().unwrap();
    let site_dir = www.path().join("site");
    fs::create_dir(&site_dir).unwrap();
    let link = root.join("public");
    symlink(&site_dir, &link).unwrap();
    let done = publish(&link, &site(&[("index.html", "v1")]), &options).unwrap();
    publish(&link, &site(&[("index.html", "v2")]), &options).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), site_dir);
    assert_eq!(read(site_dir.join("index.html")), "v2");
    assert_eq!(done.folder, site_dir.canonicalize().unwrap());

    // A link to the content folder is the content folder.
    let sneaky = root.join("out-link");
    symlink(root.join("content"), &sneaky).unwrap();
    let err = publish(&sneaky, &site(&[("index.html", "x")]), &options).unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::Protected);

    // A dangling link and a link to a file are refused, untouched.
    let dangling = root.join("dangling");
    symlink(root.join("nowhere"), &dangling).unwrap();
    let err = publish(&dangling, &site(&[("index.html", "x")]), &options).unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::NotAFolder);
    assert!(err.message.contains("does not exist"));
    let to_file = root.join("to-file");
    symlink(root.join("notes.txt"), &to_file).unwrap();
    let err = publish(&to_file, &site(&[("index.html", "x")]), &options).unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::NotAFolder);
    assert_eq!(read(root.join("notes.txt")), "my notes");
}

#[test]
fn a_file_as_output_is_refused_and_untouched() {
    let p = project();
    let file = p.path().join("notes.txt");
    let err = publish(&file, &site(&[("index.html", "x")]), &options_in(p.path())).unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::NotAFolder);
    assert!(err.message.contains("is a file"));
    assert_eq!(read(&file), "my notes");
}

#[test]
fn a_user_file_where_the_site_writes_one_is_a_conflict() {
    let p = project();
    let out = p.path().join("public");
    let options = options_in(p.path());
    publish(&out, &site(&[("index.html", "v1")]), &options).unwrap();
    fs::write(out.join("robots.txt"), "my own robots").unwrap();
    fs::write(out.join("fi"), "a file where the site needs a folder").unwrap();
    let err = publish(
        &out,
        &site(&[("index.html", "v2"), ("robots.txt", "generated")]),
        &options,
    )
    .unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::Conflict);
    assert_eq!(read(out.join("robots.txt")), "my own robots");
    assert_eq!(read(out.join("index.html")), "v1", "the old site stays");
    let err = publish(
        &out,
        &site(&[("index.html", "v2"), ("fi/index.html", "x")]),
        &options,
    )
    .unwrap_err();
    assert_eq!(err.kind, OutputErrorKind::Conflict);
}

#[test]
fn an_empty_folder_is_used_and_a_missing_parent_created() {
    let p = project();
    let empty = p.path().join("empty");
    fs::create_dir(&empty).unwrap();
    publish(&empty, &site(&[("index.html", "x")]), &options_in(p.path())).unwrap();
    assert_eq!(read(empty.join("index.html")), "x");
    let deep = p.path().join("build/site/public");
    publish(&deep, &site(&[("index.html", "y")]), &options_in(p.path())).unwrap();
    assert_eq!(read(deep.join("index.html")), "y");
}

#[test]
fn leftovers_of_killed_builds_are_recognised_and_handled() {
    let p = project();
    let out = p.path().join("public");
    let options = options_in(p.path());
    publish(&out, &site(&[("index.html", "v1")]), &options).unwrap();
    // A pid that cannot be running (above the kernel's pid limit).
    let dead = 4_000_000_000u32;
    // An unfinished staging folder, and an old site on its way out.
    let staging = p.path().join(format!(".public.polku-staging-{dead}-1"));
    fs::create_dir_all(staging.join("fi")).unwrap();
    fs::write(staging.join(swap::STAGING_MARK), "").unwrap();
    let retired = p.path().join(format!(".public.polku-retired-{dead}-2"));
    fs::create_dir_all(&retired).unwrap();
    fs::write(retired.join(MANIFEST), "{}").unwrap();
    // A user's folder that only looks similar is not touched.
    let lookalike = p.path().join(".public.polku-staging-notes");
    fs::create_dir_all(&lookalike).unwrap();

    let done = publish(&out, &site(&[("index.html", "v2")]), &options).unwrap();
    assert!(
        !staging.exists() && !retired.exists(),
        "{:?}",
        done.recovered
    );
    assert!(lookalike.exists());
    assert_eq!(read(out.join("index.html")), "v2");

    // Killed between the two renames of the fallback swap: the output path
    // is empty and the old site is beside it. The next build puts it back
    // first, then replaces it as usual.
    fs::rename(&out, &retired).unwrap();
    let done = publish(&out, &site(&[("index.html", "v3")]), &options).unwrap();
    assert!(done.recovered.contains(&out), "{:?}", done.recovered);
    assert_eq!(read(out.join("index.html")), "v3");
    assert!(!retired.exists());
}
