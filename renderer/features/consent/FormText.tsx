import { List, Stack, Text, Title } from '@mantine/core';
import { parseFormText } from '../../../shared/print/text';

/** A consent text on screen, laid out the way it prints (headings, paragraphs, bullets). */
export function FormText({ text }: { text: string }) {
  return (
    <Stack gap="xs">
      {parseFormText(text).map((block, i) =>
        block.kind === 'heading' ? (
          <Title key={i} order={4} size="h5" mt="xs">
            {block.text}
          </Title>
        ) : block.kind === 'bullets' ? (
          <List key={i} size="sm" spacing={2}>
            {block.items.map((item, j) => (
              <List.Item key={j}>{item}</List.Item>
            ))}
          </List>
        ) : (
          <Text key={i} size="sm">
            {block.text}
          </Text>
        ),
      )}
    </Stack>
  );
}
