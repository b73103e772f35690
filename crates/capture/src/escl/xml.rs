//! Reading eSCL documents by namespace, not by prefix (devices choose their own prefixes), and
//! escaping what goes into one.

use roxmltree::Node;

pub(super) fn is(node: Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(namespace)
}

pub(super) fn child<'a, 'i>(
    node: Node<'a, 'i>,
    namespace: &str,
    name: &str,
) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(*n, namespace, name))
}

pub(super) fn child_text(node: Node<'_, '_>, namespace: &str, name: &str) -> Option<String> {
    child(node, namespace, name).map(|n| n.text().unwrap_or_default().trim().to_owned())
}

pub(super) fn child_number(node: Node<'_, '_>, namespace: &str, name: &str) -> Option<u32> {
    child_text(node, namespace, name).and_then(|v| v.parse().ok())
}

/// Escapes text for an element's content (the version string comes from the device).
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
